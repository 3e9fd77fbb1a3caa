package dev.mjpegrtp.camel.gstreamer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping and starting a route 100 times leaks neither threads nor native memory, and frames flow each time. */
class GstreamerStartStopCyclesTest extends CamelTestSupport {

    private static final int CYCLES = 100;

    private final AtomicLong frames = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:cycled?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                        .routeId("cycled")
                        .process(exchange -> frames.incrementAndGet());
            }
        };
    }

    @Test
    void hundredCyclesLeakNothing() throws Exception {
        cycle(); // the first cycles load classes and fill pools
        cycle();
        System.gc();
        int threadsBefore = Thread.activeCount();
        long rssBefore = rssKilobytes();

        for (int i = 0; i < CYCLES; i++) {
            cycle();
        }
        System.gc();
        int threadsAfter = Thread.activeCount();
        long rssAfter = rssKilobytes();

        assertThat(threadsAfter).as("threads").isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(rssAfter - rssBefore).as("RSS growth in kB over %d cycles", CYCLES).isLessThan(40 * 1024);
    }

    private void cycle() throws Exception {
        long before = frames.get();
        context.getRouteController().startRoute("cycled");
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> frames.get() > before);
        context.getRouteController().stopRoute("cycled");
    }

    private static long rssKilobytes() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
