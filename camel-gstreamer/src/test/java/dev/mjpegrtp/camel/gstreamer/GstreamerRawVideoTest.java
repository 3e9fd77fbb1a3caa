package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * caps=video/x-raw asks for raw video: the body is the raw frame (I420: a full-size luma plane and two quarter-size
 * chroma planes) and the headers say its format, size and rate.
 */
class GstreamerRawVideoTest extends CamelTestSupport {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    /** I420 at 320x240: both strides are already multiples of 4, so the planes are packed without padding. */
    private static final int I420_FRAME_BYTES = WIDTH * HEIGHT * 3 / 2;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:raw?caps=video/x-raw&pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=" + WIDTH + ",height=" + HEIGHT + ",framerate=25/1)")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void rawFramesCarryTheirFormat() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(5);
        frames.assertIsSatisfied(10_000);

        for (Exchange exchange : frames.getReceivedExchanges().subList(0, 5)) {
            assertThat(exchange.getIn().getBody(byte[].class)).hasSize(I420_FRAME_BYTES);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.FORMAT)).isEqualTo("I420");
            assertThat(exchange.getIn().getHeader(GstreamerConstants.WIDTH)).isEqualTo(WIDTH);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.HEIGHT)).isEqualTo(HEIGHT);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.FRAMERATE)).isEqualTo("25/1");
            assertThat(exchange.getIn().getHeader(GstreamerConstants.CAPS, String.class))
                    .startsWith("video/x-raw").contains("format=(string)I420");
            // videotestsrc stamps raw frames with a presentation time only.
            assertThat(exchange.getIn().getHeader(GstreamerConstants.PTS, Long.class)).isNotNegative();
            assertThat(exchange.getIn().getHeaders()).doesNotContainKey(GstreamerConstants.DTS);
        }
    }
}
