package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;

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

/**
 * FFmpeg's RTP muxer ({@code ffmpeg -re -loop 1 -i x.jpg -c:v copy -f rtp}) to our consumer, the source JPEG
 * packetized by FFmpeg without re-encoding. Each emitted frame decodes to the source's pixels.
 */
class RtpMjpegConsumerFfmpegSenderTest extends CamelTestSupport {

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port).to("mock:frames");
            }
        };
    }

    @Test
    void framesDecodeToTheSourcePixels() throws Exception {
        Path source = TestImages.gstJpeg(dir, "source", "smpte", "I420", 640, 480, 80);
        byte[] expected = TestImages.gstDecodeI420(source);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(5);

        try (ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error", "-re",
                "-loop", "1", "-framerate", "10", "-t", "20", "-i", source.toString(), "-c:v", "copy",
                "-f", "rtp", "rtp://127.0.0.1:" + port)) {
            frames.assertIsSatisfied(15_000);
        }
        for (int i = 0; i < 5; i++) {
            Exchange exchange = frames.getReceivedExchanges().get(i);
            Path received = dir.resolve("received-" + i + ".jpg");
            Files.write(received, exchange.getIn().getBody(byte[].class));
            Pixels.assertIdentical(TestImages.gstDecodeI420(received), expected, "frame " + i + " sent by FFmpeg");
        }
    }
}
