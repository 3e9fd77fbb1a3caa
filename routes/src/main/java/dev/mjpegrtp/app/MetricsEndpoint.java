package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /observe/metrics}: the registry's meters in the Prometheus text format, or in OpenMetrics when the
 * {@code Accept} header asks for it (as Prometheus itself does), at camel-platform-http-main's path. The meters read
 * the components' counters now, so each scrape is as fresh as the counters.
 */
final class MetricsEndpoint implements HttpHandler {

    static final String PATH = "/observe/metrics";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT
                : PROMETHEUS_TEXT;
        byte[] body = registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
