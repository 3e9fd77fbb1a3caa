package dev.mjpegrtp.camel.gstreamer;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A live GStreamer test source through jpegenc: one exchange per frame, a JPEG body and the headers. */
class GstreamerConsumerTest extends CamelTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:test?pipeline=RAW(videotestsrc is-live=true pattern=ball ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc quality=80)")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void emitsJpegFramesWithHeaders() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(30);
        frames.assertIsSatisfied(10_000);

        List<Exchange> received = frames.getReceivedExchanges();
        long previousPts = -1;
        for (int i = 0; i < 30; i++) {
            Exchange exchange = received.get(i);
            byte[] body = exchange.getIn().getBody(byte[].class);
            assertThat(body[0] & 0xFF).isEqualTo(0xFF);
            assertThat(body[1] & 0xFF).isEqualTo(0xD8);
            assertThat(body[body.length - 1] & 0xFF).isEqualTo(0xD9);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.WIDTH)).isEqualTo(320);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.HEIGHT)).isEqualTo(240);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.SEQUENCE)).isEqualTo((long) i);
            long pts = exchange.getIn().getHeader(GstreamerConstants.PTS, Long.class);
            assertThat(pts).isGreaterThan(previousPts);
            if (previousPts >= 0) {
                // 30 fps: 33.3 ms between presentation times
                assertThat(pts - previousPts).isBetween(33_000_000L, 34_000_000L);
            }
            previousPts = pts;
        }
    }
}
