package dev.mjpegrtp.camel.gstreamer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route three times slower than the source: the appsink drops the oldest frames and the consumer counts them (in
 * the header and over JMX); the pipeline never stalls (it keeps producing at 30 fps), the frames handed over stay the
 * newest, and memory does not grow with the frames the route could not take.
 */
class GstreamerSlowRouteTest extends CamelTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GstreamerSlowRouteTest.class);
    /** Raw 640x480 I420 frames, 460 KB each, so that frames kept instead of dropped would show in RSS at once. */
    private static final int FRAME_BYTES = 640 * 480 * 3 / 2;
    /**
     * C-heap growth allowed while 50 more frames are handled and about 100 dropped. Queued instead of dropped, those
     * 100 frames would hold 46 MB there; what else moves is the JVM's own malloc use (compiler arenas, symbols).
     */
    private static final long GROWTH_BOUND_KB = 16 * 1024;

    private final AtomicLong lastDropped = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:fast?caps=video/x-raw&pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=640,height=480,framerate=30/1)")
                        .routeId("slow")
                        .process(exchange -> {
                            assertThat(exchange.getIn().getBody(byte[].class)).hasSize(FRAME_BYTES);
                            lastDropped.set(exchange.getIn().getHeader(GstreamerConstants.FRAMES_DROPPED, Long.class));
                            handled.incrementAndGet();
                            Thread.sleep(100); // a route that needs 100 ms a frame
                        });
            }
        };
    }

    @Test
    void oldestFramesAreDroppedAndCountedWithoutMemoryGrowth() throws Exception {
        org.awaitility.Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> handled.get() >= 25);
        long rssBefore = rssKilobytes();
        long nativeBefore = NativeHeap.inUseKilobytes();
        long droppedBefore = lastDropped.get();

        org.awaitility.Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> handled.get() >= 75);
        long rssGrowth = rssKilobytes() - rssBefore;
        long nativeGrowth = NativeHeap.inUseKilobytes() - nativeBefore;
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("slow").getConsumer();
        LOG.info("50 frames handled, {} dropped: C heap in use grew {} kB (RSS {} kB, the Java heap's pages included)",
                lastDropped.get() - droppedBefore, nativeGrowth, rssGrowth);

        // 10 frames a second handled out of 30 produced: about two of every three are dropped.
        assertThat(lastDropped.get()).isGreaterThan(handled.get());
        assertThat(lastDropped.get() - droppedBefore).as("dropped while 50 were handled").isGreaterThan(50);
        assertThat(consumer.getFramesDropped()).as("JMX").isGreaterThanOrEqualTo(lastDropped.get());
        assertThat(nativeGrowth).as("C heap growth in kB").isLessThan(GROWTH_BOUND_KB);
    }

    private static long rssKilobytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
