package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and starting the sending and the receiving route while frames flow at 100 per second: frames resume after
 * every restart, no buffer leaks (the build runs Netty's paranoid leak detector), no error is logged and no thread is
 * left behind.
 */
class RtpMjpegRouteRestartUnderLoadTest extends CamelTestSupport {

    private static final int CYCLES = 20;

    private final int port = LocalPorts.freeRtpPort();
    private final AtomicLong received = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcpInterval=100");
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive").process(e -> received.incrementAndGet());
            }
        };
    }

    @Test
    void framesResumeAfterEveryRestartAndNothingLeaks() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(640, 480);
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> {
            while (feeding.get()) {
                try {
                    template.sendBody("direct:send", jpeg);
                } catch (RuntimeException stopped) {
                    // the sending route is stopped for a moment
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "feeder");
        try (LogCapture log = LogCapture.start()) {
            feeder.start();
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.get() > 10);
            int threadsBefore = Thread.activeCount();
            for (int i = 0; i < CYCLES; i++) {
                context.getRouteController().stopRoute("receive");
                context.getRouteController().startRoute("receive");
                context.getRouteController().stopRoute("send");
                context.getRouteController().startRoute("send");
                long resumedAfter = received.get() + 5;
                await("frames after restart " + (i + 1)).atMost(10, TimeUnit.SECONDS)
                        .until(() -> received.get() >= resumedAfter);
            }
            feeding.set(false);
            feeder.join();
            System.gc(); // lets the leak detector see buffers that were dropped without release
            assertThat(Thread.activeCount()).as("threads after %d restarts", CYCLES).isLessThanOrEqualTo(threadsBefore + 2);
            // A frame that entered the sending route as Camel stopped it meets the stopped producer, and Camel's error
            // handler logs that ("SendProcessor has not been started"): Camel's stop, not ours, like the feeder's
            // refused sends above. Any other exception fails the test.
            assertThat(log.lines()).noneMatch(line -> line.contains("LEAK"))
                    .noneMatch(line -> line.contains("Exception") && !line.contains("SendProcessor has not been started"));
        }
    }
}
