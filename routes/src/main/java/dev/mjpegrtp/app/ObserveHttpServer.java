package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's management HTTP server: the health checks ({@link HealthEndpoint}) and the metrics
 * ({@link MetricsEndpoint}) under {@code /observe}, as camel-platform-http-main serves them in Camel (it is not
 * available at this Camel version). Bounded: one thread answers (the JDK server's dispatcher reads requests), only
 * GET, one answer of a few KB (health) or some tens of KB (metrics) at a time; the JDK server takes at most 200
 * request headers of 380 KB in all and drains at most 64 KB of a body it does not read. It does not cap connections
 * nor time out a slow request, hence the loopback address by default: on 0.0.0.0 anyone who reaches the port may
 * ask, so serve it only on a network the probes and the scraper come from (a pod network).
 */
final class ObserveHttpServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveHttpServer.class);
    private static final int BACKLOG = 8;

    private final CamelContext camelContext;
    private final InetSocketAddress address;
    private final Map<String, HttpHandler> endpoints = new LinkedHashMap<>();
    private HttpServer server;
    private ExecutorService executor;

    ObserveHttpServer(CamelContext camelContext, InetSocketAddress address) {
        this.camelContext = camelContext;
        this.address = address;
    }

    /** Serves {@code handler} at {@code path} and the paths under it; before the start. */
    ObserveHttpServer serve(String path, HttpHandler handler) {
        endpoints.put(path, handler);
        return this;
    }

    /** The address served, once started: the given port, or the one the system chose for port 0. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(address, BACKLOG);
        executor = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "observe-http");
        server.setExecutor(executor);
        endpoints.forEach((path, handler) -> server.createContext(path, exchange -> answer(exchange, handler)));
        server.start();
        for (String path : endpoints.keySet()) {
            InetSocketAddress served = server.getAddress();
            LOG.info("Serving http://{}:{}{}", served.getHostString(), served.getPort(), path);
        }
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            camelContext.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
    }

    private static void answer(HttpExchange exchange, HttpHandler handler) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            handler.handle(exchange);
        }
    }
}
