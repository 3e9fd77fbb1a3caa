package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * {@code GET /observe/metrics}: the registry's meters in the Prometheus text format, or in OpenMetrics when the
 * {@code Accept} header asks for it (as Prometheus itself does), at camel-platform-http-main's path. The meters are the
 * components' counters ({@link StreamMeters}), read at each scrape, and the JVM's, in a Micrometer Prometheus registry
 * bound in the context's registry as {@value #REGISTRY_BEAN} for meters of the user's own. Micrometer's classes load
 * only when the metrics are on: nothing else refers to them.
 */
final class MetricsEndpoint implements HttpHandler {

    static final String PATH = "/observe/metrics";
    static final String REGISTRY_BEAN = "prometheusMeterRegistry";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    private MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** The metrics of the context's streams and of the JVM; the streams' meters follow their routes from now on. */
    static MetricsEndpoint of(CamelContext camelContext) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        StreamMeters meters = new StreamMeters(registry);
        camelContext.addLifecycleStrategy(meters);
        meters.bindEndpoints(camelContext);
        camelContext.getRegistry().bind(REGISTRY_BEAN, registry);
        return new MetricsEndpoint(registry);
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
