package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Camel's management options as the app serves them: the health checks without the metrics load no registry and
 * serve no {@code /observe/metrics}; an option of Camel's server the app does not serve stops the start, named.
 */
class ManagementServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void healthChecksWithoutMetricsServeNoMetrics() throws Exception {
        int port = LocalPorts.freeTcpPort();
        Map<String, String> properties = demo();
        properties.put("camel.management.enabled", "true");
        properties.put("camel.management.port", String.valueOf(port));
        properties.put("camel.management.healthCheckEnabled", "true");
        try (RunningApp app = new RunningApp(properties)) {
            assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);
            assertThat(get(port, "/observe/metrics").statusCode()).isEqualTo(404);
            assertThat(app.context().getRegistry().lookupByName(MetricsEndpoint.REGISTRY_BEAN)).isNull();
        }
    }

    @Test
    void anOptionTheAppDoesNotServeStopsTheStartNamed() throws IOException {
        Map<String, String> properties = demo();
        properties.put("camel.management.enabled", "true");
        properties.put("camel.management.port", "0");
        properties.put("camel.management.jolokiaEnabled", "true");
        assertThatThrownBy(() -> new RunningApp(properties).close())
                .hasStackTraceContaining("camel.management.jolokiaEnabled=true needs camel-platform-http-main");
    }

    private Map<String, String> demo() throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put("demo.port", String.valueOf(LocalPorts.freeRtpPort()));
        properties.put("demo.width", "320");
        properties.put("demo.height", "240");
        properties.put("demo.sdpFile", dir.resolve("demo.sdp").toString());
        properties.put("demo.rtspPort", String.valueOf(LocalPorts.freeTcpPort()));
        return properties;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
