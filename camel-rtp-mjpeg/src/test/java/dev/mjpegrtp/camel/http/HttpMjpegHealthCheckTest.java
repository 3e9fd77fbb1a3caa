package dev.mjpegrtp.camel.http;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.MjpegHttpViewer;
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

/**
 * Each served path is a readiness check whose details are its metrics, and the same figures are JMX attributes of the
 * endpoint's MBean, with one row per viewer from viewerStatistics.
 */
class HttpMjpegHealthCheckTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:frames").routeId("camera").to("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/cam");
            }
        };
    }

    @Test
    void pathIsReadyWithItsViewersAndFramesInTheDetailsAndJmx() throws Exception {
        String id = "http-mjpeg:http://127.0.0.1:" + httpPort.getPort() + "/cam";
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        try (FrameFeed feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(64, 48)), 30);
             MjpegHttpViewer viewer = new MjpegHttpViewer("127.0.0.1", httpPort.getPort(), "/cam.mjpeg")) {
            for (int i = 0; i < 10; i++) {
                viewer.nextFrame();
            }
            HealthCheck check = registry.getCheck(id).orElseThrow();
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.isLiveness()).isFalse();
            HealthCheck.Result result = check.call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(result.getDetails()).containsEntry("viewers", 1);
            assertThat((Long) result.getDetails().get("framesSent")).isGreaterThanOrEqualTo(10);
            assertThat((Long) result.getDetails().get("bytesSent")).isPositive();
            assertThat(result.getDetails()).containsEntry("authenticationFailures", 0L);

            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName endpoint = server.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null).stream()
                    .filter(name -> name.toString().contains("http-mjpeg")).findFirst().orElseThrow();
            assertThat(server.getAttribute(endpoint, "Viewers")).isEqualTo(1);
            assertThat((Long) server.getAttribute(endpoint, "FramesSent")).isGreaterThanOrEqualTo(10);
            assertThat(server.getAttribute(endpoint, "FramesSkipped")).isInstanceOf(Long.class);
            // the attributes every server's path has, from the shared endpoint base
            assertThat(server.getAttribute(endpoint, "Listening")).isEqualTo(true);
            assertThat(server.getAttribute(endpoint, "Url")).isEqualTo("http://127.0.0.1:" + httpPort.getPort() + "/cam");
            assertThat(server.getAttribute(endpoint, "ConnectionsRefused")).isEqualTo(0L);
            assertThat(server.getAttribute(endpoint, "AuthenticationFailures")).isEqualTo(0L);
            assertThat(server.getAttribute(endpoint, "AuthenticationsThrottled")).isEqualTo(0L);
            TabularData viewers = (TabularData) server.invoke(endpoint, "viewerStatistics", null, null);
            CompositeData row = (CompositeData) viewers.values().iterator().next();
            assertThat((Long) row.get("framesSent")).isGreaterThanOrEqualTo(10);
            await().atMost(Duration.ofSeconds(5)).until(() -> (Double) server.getAttribute(endpoint, "CurrentFps") > 0);
        }
        context.getRouteController().stopRoute("camera");
        assertThat(registry.getCheck(id)).as("check of a path no longer served").isEqualTo(Optional.empty());
    }
}
