package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route three times slower than the source: the appsink drops the oldest frames and the consumer counts them; the
 * pipeline never stalls (it keeps producing at 30 fps) and the frames handed over stay the newest.
 */
class GstreamerSlowRouteTest extends CamelTestSupport {

    private final AtomicLong lastDropped = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:fast?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                        .routeId("slow")
                        .process(exchange -> {
                            lastDropped.set(exchange.getIn().getHeader(GstreamerConstants.FRAMES_DROPPED, Long.class));
                            handled.incrementAndGet();
                            Thread.sleep(100); // a route that needs 100 ms a frame
                        });
            }
        };
    }

    @Test
    void oldestFramesAreDroppedAndCounted() {
        org.awaitility.Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> handled.get() >= 25);
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("slow").getConsumer();
        // 10 frames a second handled out of 30 produced: about two of every three are dropped.
        assertThat(lastDropped.get()).isGreaterThan(handled.get());
        assertThat(consumer.getFramesDropped()).isGreaterThanOrEqualTo(lastDropped.get());
    }
}
