package dev.mjpegrtp.camel.gstreamer;

import java.time.Duration;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route time and capture latency percentiles measure what they say: a route that takes 15 ms per frame reads
 * about 15 ms of route time, and the capture latency adds what happened before the pull (encoding, the appsink
 * queue), so it is larger, but by less than a frame interval or two on this light source.
 */
class GstreamerConsumerLatencyTest extends CamelTestSupport {

    private static final long ROUTE_MILLIS = 15;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:live?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                        .process(exchange -> Thread.sleep(ROUTE_MILLIS));
            }
        };
    }

    @Test
    void routeTimeAndCaptureLatencyFollowTheRoute() {
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoutes().get(0).getConsumer();
        assertThat(consumer.getRouteTimeP50Micros()).as("before any frame").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(15)).until(() -> consumer.getFramesEmitted() >= 60);

        long routeP50 = consumer.getRouteTimeP50Micros();
        long routeP99 = consumer.getRouteTimeP99Micros();
        long captureP50 = consumer.getCaptureLatencyP50Micros();
        long captureP99 = consumer.getCaptureLatencyP99Micros();

        assertThat(routeP50).as("route time p50, µs").isBetween(ROUTE_MILLIS * 1000, ROUTE_MILLIS * 1000 + 10_000);
        assertThat(routeP99).as("route time p99, µs").isGreaterThanOrEqualTo(routeP50);
        assertThat(captureP50).as("capture latency p50, µs: the route time plus what came before the pull")
                .isGreaterThan(routeP50)
                .isLessThan(routeP50 + 100_000);
        assertThat(captureP99).as("capture latency p99, µs").isGreaterThanOrEqualTo(captureP50);
    }
}
