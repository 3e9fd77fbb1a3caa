package dev.mjpegrtp.camel.gstreamer;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live GStreamer test source through jpegenc: one exchange per frame, a JPEG body and the headers, caps and
 * framerate included.
 */
class GstreamerConsumerTest extends CamelTestSupport {

    private static final double FRAME_INTERVAL_NANOS = 1e9 / 30;

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
        long firstPts = received.get(0).getIn().getHeader(GstreamerConstants.PTS, Long.class);
        long firstDropped = received.get(0).getIn().getHeader(GstreamerConstants.FRAMES_DROPPED, Long.class);
        for (int i = 0; i < 30; i++) {
            Exchange exchange = received.get(i);
            byte[] body = exchange.getIn().getBody(byte[].class);
            assertThat(body[0] & 0xFF).isEqualTo(0xFF);
            assertThat(body[1] & 0xFF).isEqualTo(0xD8);
            assertThat(body[body.length - 1] & 0xFF).isEqualTo(0xD9);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.WIDTH)).isEqualTo(320);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.HEIGHT)).isEqualTo(240);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.SEQUENCE)).isEqualTo((long) i);
            assertThat(exchange.getIn().getHeader(GstreamerConstants.FRAMERATE)).isEqualTo("30/1");
            assertThat(exchange.getIn().getHeader(GstreamerConstants.CAPS, String.class))
                    .startsWith("image/jpeg").contains("width=(int)320", "height=(int)240");
            assertThat(exchange.getIn().getHeaders()).as("a JPEG has no raw pixel format")
                    .doesNotContainKey(GstreamerConstants.FORMAT);
            // jpegenc stamps its output's decoding time with the presentation time: every JPEG decodes on its own.
            assertThat(exchange.getIn().getHeader(GstreamerConstants.DTS))
                    .isEqualTo(exchange.getIn().getHeader(GstreamerConstants.PTS));
            // 30 fps: presentation times are whole frame intervals apart; those the appsink dropped (a busy machine)
            // are counted, so that frames handed over plus frames dropped account for every interval.
            long pts = exchange.getIn().getHeader(GstreamerConstants.PTS, Long.class);
            long dropped = exchange.getIn().getHeader(GstreamerConstants.FRAMES_DROPPED, Long.class);
            long intervals = Math.round((pts - firstPts) / FRAME_INTERVAL_NANOS);
            assertThat(Math.abs(pts - firstPts - intervals * FRAME_INTERVAL_NANOS)).isLessThan(1_000_000);
            assertThat(intervals).isEqualTo(i + dropped - firstDropped);
        }
    }
}
