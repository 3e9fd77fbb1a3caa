package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route that throws Errors (out of memory, stack overflow) on its first frames: the pull thread lives on, the
 * failures are counted, no exchange stays in flight, and the next frames reach the end of the route.
 */
class GstreamerRouteErrorTest extends CamelTestSupport {

    private static final int FAILING = 4;

    private final AtomicInteger processed = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:errors?caps=video/x-raw&pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=64,height=48,framerate=30/1)")
                        .routeId("errors")
                        .process(exchange -> {
                            int frame = processed.incrementAndGet();
                            if (frame <= FAILING / 2) {
                                throw new OutOfMemoryError("Java heap space (thrown by the test)");
                            }
                            if (frame <= FAILING) {
                                throw new StackOverflowError("thrown by the test");
                            }
                            passed.incrementAndGet();
                        });
            }
        };
    }

    @Test
    void errorsFromTheRouteAreCountedAndTheNextFramesGoThrough() {
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("errors").getConsumer();
        await().atMost(15, TimeUnit.SECONDS).until(() -> consumer.getFramesFailed() == FAILING);
        assertThat(context.getInflightRepository().size()).as("exchanges in flight after the errors").isZero();

        await().atMost(15, TimeUnit.SECONDS).until(() -> passed.get() >= 10);
        assertThat(consumer.getFramesFailed()).isEqualTo(FAILING);
    }
}
