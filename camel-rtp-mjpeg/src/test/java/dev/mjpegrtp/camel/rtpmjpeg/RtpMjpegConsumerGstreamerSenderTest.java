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
 * GStreamer's {@code rtpjpegpay ! udpsink} to our consumer: a live, moving test pattern whose every JPEG the sender
 * also writes to disk. Each frame the consumer emits must decode to the pixels of the JPEG that was sent.
 */
class RtpMjpegConsumerGstreamerSenderTest extends CamelTestSupport {

    private static final int FRAMES = 20;

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Room for every frame: GStreamer starting on a busy machine sends its first frames in a burst, and
                // the route's first exchanges are slow; the drop-when-behind policy is not what this test checks.
                from("rtp-mjpeg:127.0.0.1:" + port + "?maxPendingFrames=" + FRAMES).to("mock:frames");
            }
        };
    }

    @Test
    void everyFrameDecodesToTheSentPixels() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(FRAMES);
        Path sent = Files.createDirectories(dir.resolve("sent"));

        ExternalTools.run(Duration.ofSeconds(60), "gst-launch-1.0", "-q",
                "videotestsrc", "is-live=true", "num-buffers=" + FRAMES, "pattern=ball",
                "!", "video/x-raw,format=I420,width=320,height=240,framerate=20/1", "!", "jpegenc", "quality=70",
                "!", "tee", "name=t",
                "t.", "!", "queue", "!", "rtpjpegpay", "mtu=1400", "!", "udpsink", "host=127.0.0.1", "port=" + port,
                "t.", "!", "queue", "!", "multifilesink", "location=" + sent.resolve("%05d.jpg"));

        frames.assertIsSatisfied(10_000);
        List<Path> sentFiles;
        try (Stream<Path> files = Files.list(sent)) {
            sentFiles = files.sorted().toList();
        }
        assertThat(sentFiles).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            Exchange exchange = frames.getReceivedExchanges().get(i);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.WIDTH)).isEqualTo(320);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.HEIGHT)).isEqualTo(240);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.FRAMES_LOST)).isEqualTo(0L);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.INTERVALS_CONCEALED)).isEqualTo(0);
            Path received = dir.resolve("received-" + i + ".jpg");
            Files.write(received, exchange.getIn().getBody(byte[].class));
            Pixels.assertIdentical(TestImages.gstDecodeI420(received), TestImages.gstDecodeI420(sentFiles.get(i)),
                    "frame " + i + " as received by rtp-mjpeg:, decoded by jpegdec");
        }
    }
}
