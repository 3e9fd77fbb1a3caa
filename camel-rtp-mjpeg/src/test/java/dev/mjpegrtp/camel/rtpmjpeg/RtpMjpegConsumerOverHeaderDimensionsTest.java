package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GStreamer's rtpjpegpay sending 3840x2160 frames, whose RTP/JPEG header says 0 for both sizes, to a consumer told
 * the size the sender's SDP would announce (xDimensions, from a=x-dimensions): each frame comes out whole, with the
 * real size in its JFIF and headers, and decodes to the pixels that were sent.
 */
class RtpMjpegConsumerOverHeaderDimensionsTest extends CamelTestSupport {

    private static final int FRAMES = 3;

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port + "?xDimensions=3840,2160").to("mock:frames");
            }
        };
    }

    @Test
    void framesTakeTheDeclaredSize() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(FRAMES);
        Path sent = Files.createDirectories(dir.resolve("sent"));

        ExternalTools.run(Duration.ofSeconds(60), "gst-launch-1.0", "-q",
                "videotestsrc", "is-live=true", "num-buffers=" + FRAMES, "pattern=ball",
                "!", "video/x-raw,format=I420,width=3840,height=2160,framerate=5/1", "!", "jpegenc", "quality=60",
                "!", "tee", "name=t",
                "t.", "!", "queue", "!", "rtpjpegpay", "mtu=1400", "!", "udpsink", "host=127.0.0.1", "port=" + port,
                "t.", "!", "queue", "!", "multifilesink", "location=" + sent.resolve("%05d.jpg"));

        frames.assertIsSatisfied(10_000);
        List<Path> sentFiles;
        try (Stream<Path> files = Files.list(sent)) {
            sentFiles = files.sorted().toList();
        }
        for (int i = 0; i < FRAMES; i++) {
            Exchange exchange = frames.getReceivedExchanges().get(i);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.WIDTH)).isEqualTo(3840);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.HEIGHT)).isEqualTo(2160);
            Path received = dir.resolve("received-" + i + ".jpg");
            Files.write(received, exchange.getIn().getBody(byte[].class));
            Pixels.assertIdentical(TestImages.gstDecodeI420(received), TestImages.gstDecodeI420(sentFiles.get(i)),
                    "frame " + i + " as received by rtp-mjpeg:, decoded by jpegdec");
        }
    }
}
