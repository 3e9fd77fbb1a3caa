package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's source, 1080p30 4:2:0 Q85, keeps its frame rate through the consumer: no frame dropped for 5 s. */
class GstreamerConsumerFrameRateTest extends CamelTestSupport {

    private final AtomicLong frames = new AtomicLong();
    /** The consumer's count of frames the appsink dropped (gaps in the PTS), as the last frame's header said. */
    private final AtomicLong framesDropped = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:demo?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=1920,height=1080,framerate=30/1 ! jpegenc quality=85)")
                        .process(exchange -> {
                            framesDropped.set(exchange.getIn().getHeader(GstreamerConstants.FRAMES_DROPPED, Long.class));
                            frames.incrementAndGet();
                        });
            }
        };
    }

    @Test
    void thirtyFramesPerSecondForFiveSeconds() throws Exception {
        // Let the pipeline reach PLAYING and the JIT warm up, then count over a 5 s window.
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> frames.get() >= 10);
        long droppedBefore = framesDropped.get();
        long start = frames.get();
        long startNanos = System.nanoTime();
        Thread.sleep(5000); // the measurement window itself
        long counted = frames.get() - start;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double reported = ((GstreamerConsumer) context.getRoutes().get(0).getConsumer()).getCurrentFps();

        assertThat(counted / seconds).as("frames per second").isGreaterThanOrEqualTo(29.0);
        assertThat(reported).as("the CurrentFps attribute, frames in the last whole second").isBetween(25.0, 35.0);
        assertThat(framesDropped.get() - droppedBefore).as("frames dropped in the window").isZero();
    }
}
