package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline that fails mid-stream (identity error-after posts an ERROR after 5 buffers) is restarted and frames
 * resume; the error is kept with the name of the element that posted it. The user's own appsink is used as given.
 */
class GstreamerRestartOnErrorTest extends CamelTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:failing?maxRestartDelay=200&pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! identity name=faulty error-after=5 ! "
                     + "jpegenc ! appsink name=mine max-buffers=2 drop=true sync=false)")
                        .routeId("failing")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void framesResumeAfterAnError() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(12);
        frames.assertIsSatisfied(20_000);
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("failing").getConsumer();
        assertThat(consumer.getRestarts()).isGreaterThanOrEqualTo(2);
        assertThat(consumer.getLastError()).startsWith("element faulty: ");
    }
}
