package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.freedesktop.gstreamer.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Suspending the route pauses the pipeline, no frame reaches the route meanwhile, and resuming brings frames back. */
class GstreamerSuspendResumeTest extends CamelTestSupport {

    private final AtomicLong frames = new AtomicLong();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:paused?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc)")
                        .routeId("paused")
                        .process(exchange -> frames.incrementAndGet());
            }
        };
    }

    @Test
    void suspendPausesAndResumePlays() throws Exception {
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> frames.get() >= 10);
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("paused").getConsumer();

        context.getRouteController().suspendRoute("paused");
        assertThat(context.getRouteController().getRouteStatus("paused")).isEqualTo(ServiceStatus.Suspended);
        assertThat(consumer.pipelineState()).isEqualTo(State.PAUSED);
        long atSuspend = frames.get();
        // 30 frames a second would reach the route in this second if the pipeline still played.
        org.awaitility.Awaitility.await().during(1, TimeUnit.SECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> frames.get() == atSuspend);

        context.getRouteController().resumeRoute("paused");
        assertThat(consumer.pipelineState()).isEqualTo(State.PLAYING);
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> frames.get() >= atSuspend + 10);
        assertThat(consumer.getRestarts()).as("resumed, not restarted").isZero();
    }
}
