package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** restartOnEos=true loops a finite source: frames keep coming across ends of stream. */
class GstreamerRestartOnEosTest extends CamelTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:finite?restartOnEos=true&pipeline=RAW(videotestsrc is-live=true num-buffers=5 ! "
                     + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc)")
                        .routeId("finite")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void framesResumeAfterEndOfStream() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(16);
        frames.assertIsSatisfied(15_000);
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("finite").getConsumer();
        assertThat(consumer.getRestarts()).isGreaterThanOrEqualTo(3);
    }
}
