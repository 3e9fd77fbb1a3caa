package dev.mjpegrtp.micrometer;

import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.LocalPorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context bound to a plain registry before it starts: a gstreamer: route sends to http-mjpeg: and rtp-mjpeg:, an
 * rtp-mjpeg: route receives what it sends. Each producer's, consumer's and path's meters are in the registry with
 * their tags and move with the frames; removing a route takes its producer's, its consumer's and its path's meters
 * with it, and leaves the other route's.
 */
class MjpegRtpMetersTest {

    @Test
    void metersMoveWithTheFramesAndGoWithTheirRoutes() throws Exception {
        int rtpPort = LocalPorts.freeRtpPort();
        int httpPort = LocalPorts.freeTcpPort();
        String[] rtp = { "stream", "rtp://127.0.0.1:" + rtpPort, "transport", "rtp" };
        String[] http = { "stream", "http://127.0.0.1:" + httpPort + "/camera", "transport", "http" };
        String[] camera = { "route", "camera", "component", "gstreamer" };
        String[] received = { "route", "received", "component", "rtp-mjpeg" };
        AtomicInteger frames = new AtomicInteger();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            MjpegRtpMeters.bindTo(context, registry);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("rtp-mjpeg:127.0.0.1:" + rtpPort).routeId("received")
                            .process(exchange -> frames.incrementAndGet());
                    from("gstreamer:camera?pipeline=RAW(videotestsrc is-live=true ! "
                            + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                            .routeId("camera")
                            .to("http-mjpeg:127.0.0.1:" + httpPort + "/camera")
                            .process(new JpegToRfc2435Processor())
                            .to("rtp-mjpeg:127.0.0.1:" + rtpPort);
                }
            });
            context.start();
            await().atMost(30, SECONDS).until(() -> frames.get() >= 5);

            double sent = counter(registry, "mjpegrtp.frames.sent", rtp);
            double pulled = counter(registry, "mjpegrtp.consumer.frames", camera);
            double reassembled = counter(registry, "mjpegrtp.consumer.frames", received);
            int framesBefore = frames.get();
            await().atMost(30, SECONDS).until(() -> frames.get() >= framesBefore + 15);

            assertThat(counter(registry, "mjpegrtp.frames.sent", rtp)).isGreaterThan(sent);
            assertThat(counter(registry, "mjpegrtp.packets.sent", rtp))
                    .isGreaterThanOrEqualTo(counter(registry, "mjpegrtp.frames.sent", rtp));
            assertThat(counter(registry, "mjpegrtp.consumer.frames", camera)).isGreaterThan(pulled);
            int handed = frames.get();
            // reassembled frames are counted before the route has them
            assertThat(counter(registry, "mjpegrtp.consumer.frames", received)).isGreaterThan(reassembled)
                    .isGreaterThanOrEqualTo(handed);
            assertThat(counter(registry, "mjpegrtp.consumer.packets.rejected", received)).isZero();
            assertThat(counter(registry, "mjpegrtp.frames.rejected", http)).isZero();
            assertThat(registry.get("mjpegrtp.viewers").tags(http).gauge().value()).isZero();
            assertThat(registry.get("mjpegrtp.route.time").tags(camera).tag("quantile", "0.99").timeGauge()
                    .value(SECONDS)).isPositive();

            context.getRouteController().stopRoute("camera");
            context.removeRoute("camera");
            assertThat(registry.find("mjpegrtp.frames.sent").tags(rtp).meters()).isEmpty();
            assertThat(registry.find("mjpegrtp.consumer.frames").tags(camera).meters()).isEmpty();
            assertThat(registry.find("mjpegrtp.route.time").tags(camera).meters()).isEmpty();
            assertThat(registry.find("mjpegrtp.consumer.frames").tags(received).meters()).hasSize(1);
            // Camel removes the http-mjpeg: endpoint with the only route that uses it
            assertThat(context.getEndpoints()).noneMatch(endpoint -> endpoint.getEndpointUri().startsWith("http-"));
            assertThat(registry.find("mjpegrtp.frames.sent").tags(http).meters()).isEmpty();
            assertThat(registry.find("mjpegrtp.viewers").tags(http).meters()).isEmpty();
        }
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }
}
