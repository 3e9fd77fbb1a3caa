package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.JpegCorpus;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.UdpPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * Our sender to GStreamer's receiver: {@code udpsrc ! rtpjitterbuffer ! rtpjpegdepay ! jpegdec}. Every decoded frame
 * must equal, byte for byte, what jpegdec makes of the source JPEG.
 */
class RtpMjpegProducerGstreamerReceiverTest extends CamelTestSupport {

    private final int port = UdpPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                from("direct:send").process("jpegToRfc2435").to("rtp-mjpeg:127.0.0.1:" + port);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mjpegrtp.testing.JpegCorpus#carriedAsIs")
    void decodedFramesEqualTheSource(String name, JpegCorpus.Recipe recipe) throws Exception {
        Path source = recipe.make(dir);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);

        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), port)) {
            List<byte[]> frames = receiver.awaitFrames(2, expected.length, Duration.ofSeconds(30),
                    () -> template.sendBody("direct:send", jpeg));
            for (byte[] decoded : frames) {
                Pixels.assertIdentical(decoded, expected, "frame decoded by GStreamer");
            }
        }
    }
}
