package dev.mjpegrtp.app;

import java.nio.charset.StandardCharsets;

import dev.mjpegrtp.micrometer.MjpegRtpMeters;
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
 * components' counters ({@link MjpegRtpMeters}), read at each scrape, and the JVM's, in a Micrometer Prometheus registry
 * bound in the context's registry as {@value #REGISTRY_BEAN} for meters of the user's own. Micrometer's classes load
 * only when the metrics are on: nothing else refers to them. Each format is scraped at most once a second
 * ({@link RecentAnswer}): requests within that second get the same page.
 */
final class MetricsEndpoint implements ObserveEndpoint {

    static final String PATH = "/observe/metrics";
    static final String REGISTRY_BEAN = "prometheusMeterRegistry";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final RecentAnswer prometheus;
    private final RecentAnswer openMetrics;

    private MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.prometheus = new RecentAnswer(() -> scrape(registry, PROMETHEUS_TEXT));
        this.openMetrics = new RecentAnswer(() -> scrape(registry, OPENMETRICS_TEXT));
    }

    /** The metrics of the context's streams and of the JVM; the streams' meters follow their routes from now on. */
    static MetricsEndpoint of(CamelContext camelContext) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        MjpegRtpMeters.bindTo(camelContext, registry);
        camelContext.getRegistry().bind(REGISTRY_BEAN, registry);
        return new MetricsEndpoint(registry);
    }

    @Override
    public ObserveAnswer answer(String path, String accept) {
        if (!path.equals(PATH)) {
            return ObserveAnswer.notFound();
        }
        return accept != null && accept.contains("application/openmetrics-text") ? openMetrics.get() : prometheus.get();
    }

    private static ObserveAnswer scrape(PrometheusMeterRegistry registry, String contentType) {
        return new ObserveAnswer(200, contentType, registry.scrape(contentType).getBytes(StandardCharsets.UTF_8));
    }
}
