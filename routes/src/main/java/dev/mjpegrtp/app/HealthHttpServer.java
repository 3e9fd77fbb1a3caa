package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's health checks over HTTP, at Camel's paths, for probes such as Kubernetes' (camel-platform-http-main, which
 * serves them in Camel, is not available at this Camel version):
 * <ul>
 * <li>{@code GET /observe/health}: every check; 200 when all are UP, else 503.</li>
 * <li>{@code GET /observe/health/ready}: the readiness checks (the route controller, each route, each consumer and
 * producer); 200 when all are UP, else 503. A camera that is retrying makes the instance not ready.</li>
 * <li>{@code GET /observe/health/live}: the CamelContext's check only; 503 when it is not started. A camera's trouble
 * never makes the instance not live: a probe restarting the process for it would stop every other camera.</li>
 * </ul>
 * The body is JSON: {@code {"status":"DOWN","checks":[{"name":"route-controller","status":"DOWN","message":...,
 * "details":{...}}]}}, with the details of the checks that are not UP. Bounded: one thread answers (the JDK server's
 * dispatcher reads requests), only GET, a few KB per answer; the JDK server takes at most 200 request headers of
 * 380 KB in all and drains at most 64 KB of a body it does not read. It does not cap connections nor time out a slow
 * request, hence the loopback address by default: on 0.0.0.0 anyone who reaches the port may ask, so serve it only
 * on a network the probes come from (a pod network).
 */
final class HealthHttpServer extends ServiceSupport {

    static final String PATH = "/observe/health";
    private static final Logger LOG = LoggerFactory.getLogger(HealthHttpServer.class);
    private static final int BACKLOG = 8;
    private static final String CONTEXT_CHECK = "context";

    private final CamelContext camelContext;
    private final InetSocketAddress address;
    private HttpServer server;
    private ExecutorService executor;

    HealthHttpServer(CamelContext camelContext, InetSocketAddress address) {
        this.camelContext = camelContext;
        this.address = address;
    }

    /** The address served, once started: the given port, or the one the system chose for port 0. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(address, BACKLOG);
        executor = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "health-http");
        server.setExecutor(executor);
        server.createContext(PATH, this::answer);
        server.start();
        LOG.info("Serving health checks on http://{}:{}{}", server.getAddress().getHostString(),
                server.getAddress().getPort(), PATH);
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

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Collection<HealthCheck.Result> results;
            boolean up;
            if (path.equals(PATH)) {
                results = invoke(HealthCheck.Kind.ALL, check -> false);
                up = HealthCheckHelper.isResultsUp(results, true);
            } else if (path.equals(PATH + "/ready")) {
                results = invoke(HealthCheck.Kind.READINESS, check -> !check.isReadiness());
                up = HealthCheckHelper.isResultsUp(results, true);
            } else if (path.equals(PATH + "/live")) {
                results = invoke(HealthCheck.Kind.LIVENESS, check -> !CONTEXT_CHECK.equals(check.getId()));
                up = HealthCheckHelper.isResultsUp(results, false) && !results.isEmpty();
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = toJson(up, results).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Collection<HealthCheck.Result> invoke(HealthCheck.Kind kind, Predicate<HealthCheck> excluded) {
        return HealthCheckHelper.invoke(camelContext, check -> Map.of(HealthCheck.CHECK_KIND, kind), excluded, "full");
    }

    static String toJson(boolean up, Collection<HealthCheck.Result> results) {
        JsonArray checks = new JsonArray();
        for (HealthCheck.Result result : results) {
            JsonObject check = new JsonObject();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            if (result.getState() != HealthCheck.State.UP) {
                JsonObject details = new JsonObject();
                result.getDetails().forEach((key, value) -> details.put(key,
                        value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
                check.put("details", details);
            }
            checks.add(check);
        }
        JsonObject answer = new JsonObject();
        answer.put("status", up ? "UP" : "DOWN");
        answer.put("checks", checks);
        return answer.toJson();
    }
}
