package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our sender to GStreamer's receiver: {@code udpsrc ! rtpjitterbuffer ! rtpjpegdepay ! jpegdec}. Every decoded frame
 * must equal, byte for byte, what jpegdec makes of the source JPEG, whether it went out as it was or transcoded.
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
                from("direct:send").process("jpegToRfc2435")
                        .to("rtp-mjpeg:127.0.0.1:" + port + "?sdpFile=" + dir.resolve("stream.sdp"));
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"dev.mjpegrtp.testing.JpegCorpus#carriedAsIs", "dev.mjpegrtp.testing.JpegCorpus#needsTranscoding"})
    void decodedFramesEqualTheSource(String name, JpegCorpus.Recipe recipe) throws Exception {
        assertReceivedAsDecoded(recipe.make(dir), "");
    }

    /**
     * The header says 0 for a size over 2040; the producer rewrites its SDP with a=x-dimensions before the first such
     * frame goes out, and GStreamer takes the size from there (sdpdemux and rtspsrc turn the attribute into this cap).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mjpegrtp.testing.JpegCorpus#overHeaderDimensions")
    void framesOverTheHeaderDimensionsDecodeWithTheSizeFromTheSdp(String name, JpegCorpus.Recipe recipe)
            throws Exception {
        Path source = recipe.make(dir);
        template.sendBody("direct:send", Files.readAllBytes(source));
        Matcher size = Pattern.compile("a=x-dimensions:(\\d+,\\d+)\r\n")
                .matcher(Files.readString(dir.resolve("stream.sdp")));
        assertThat(size.find()).as("a=x-dimensions in the SDP").isTrue();
        assertReceivedAsDecoded(source, ",x-dimensions=(string)\"" + size.group(1) + "\"");
    }

    private void assertReceivedAsDecoded(Path source, String extraCaps) throws Exception {
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);

        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), port, extraCaps)) {
            List<byte[]> frames = receiver.awaitFrames(2, expected.length, Duration.ofSeconds(30),
                    () -> template.sendBody("direct:send", jpeg));
            for (byte[] decoded : frames) {
                Pixels.assertIdentical(decoded, expected, "frame decoded by GStreamer");
            }
        }
    }
}
