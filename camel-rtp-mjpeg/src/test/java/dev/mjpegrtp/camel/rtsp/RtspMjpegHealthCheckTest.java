package dev.mjpegrtp.camel.rtsp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With camel-health present, each served path is a readiness check whose details are the path's metrics. */
class RtspMjpegHealthCheckTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:frames").routeId("camera").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam");
            }
        };
    }

    @Test
    void pathIsReadyWithItsViewersAndFramesInTheDetails() throws Exception {
        String id = "rtsp-mjpeg:rtsp://127.0.0.1:" + rtspPort.getPort() + "/cam";
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        try (FrameFeed feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(64, 48)), 30);
             RtspTestClient viewer = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            viewer.playInterleaved();
            for (int i = 0; i < 10; i++) {
                viewer.readInterleaved();
            }
            HealthCheck check = registry.getCheck(id).orElseThrow();
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.isLiveness()).isFalse();
            HealthCheck.Result result = check.call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(result.getDetails()).containsEntry("viewers", 1).containsEntry("framesDropped", 0L);
            assertThat((Long) result.getDetails().get("framesSent")).isPositive();
            assertThat((Long) result.getDetails().get("bytesSent")).isPositive();

            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam",
                    RtspMjpegEndpoint.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.getCurrentFps() > 0); // after a whole second
            assertThat(endpoint.getLastFrameSize()).isPositive();
        }
        context.getRouteController().stopRoute("camera");
        assertThat(registry.getCheck(id)).as("check of a path no longer served").isEqualTo(Optional.empty());
    }
}
