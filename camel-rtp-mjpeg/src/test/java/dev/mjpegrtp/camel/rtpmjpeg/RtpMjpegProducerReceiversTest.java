package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.FfmpegSdpReceiver;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.JpegCorpus;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Our sender to real receivers: FFmpeg, which opens the SDP file the producer writes ({@code ffmpeg -i stream.sdp}),
 * as ffplay and VLC users do, and GStreamer's {@code udpsrc ! rtpjitterbuffer ! rtpjpegdepay ! jpegdec}. Every decoded
 * frame must equal, byte for byte, what the receiver's own decoder makes of the source JPEG, whether it went out as
 * it was or transcoded. A receiver whose program is missing fails, as every peer does.
 */
class RtpMjpegProducerReceiversTest extends CamelTestSupport {

    /** The two receivers: how each decodes the source and the stream. */
    enum Receiver {
        FFMPEG {
            @Override
            byte[] decodeSource(Path source) throws Exception {
                return TestImages.ffmpegDecodeI420(source);
            }

            @Override
            List<byte[]> receive(Path dir, int port, int frameSize, Runnable sendOne) throws Exception {
                return FfmpegSdpReceiver.decode(dir.resolve("stream.sdp"), dir, 3, frameSize, sendOne);
            }
        },
        GSTREAMER {
            @Override
            byte[] decodeSource(Path source) throws Exception {
                return TestImages.gstDecodeI420(source);
            }

            @Override
            List<byte[]> receive(Path dir, int port, int frameSize, Runnable sendOne) throws Exception {
                return receiveWithCaps(dir, port, "", frameSize, sendOne);
            }
        };

        /** The source JPEG decoded to I420 by the receiver's own decoder, without RTP. */
        abstract byte[] decodeSource(Path source) throws Exception;

        /** Frames of {@code frameSize} bytes the receiver decoded from the stream, while {@code sendOne} sends. */
        abstract List<byte[]> receive(Path dir, int port, int frameSize, Runnable sendOne) throws Exception;
    }

    private final int port = LocalPorts.freeRtpPort();

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

    static Stream<Arguments> receiversAndCorpus() {
        return Stream.of(Receiver.values()).flatMap(receiver -> Stream.concat(JpegCorpus.carriedAsIs(),
                JpegCorpus.needsTranscoding()).map(jpeg -> arguments(receiver, jpeg.get()[0], jpeg.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("receiversAndCorpus")
    void decodedFramesEqualTheSource(Receiver receiver, String name, JpegCorpus.Recipe recipe) throws Exception {
        Path source = recipe.make(dir);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = receiver.decodeSource(source);
        assertThat(dir.resolve("stream.sdp")).exists();

        List<byte[]> frames = receiver.receive(dir, port, expected.length, () -> template.sendBody("direct:send", jpeg));
        for (int i = 0; i < frames.size(); i++) {
            Pixels.assertIdentical(frames.get(i), expected, "frame " + i + " decoded by " + receiver);
        }
    }

    /**
     * The header says 0 for a size over 2040; the producer rewrites its SDP with a=x-dimensions before the first such
     * frame goes out, and GStreamer takes the size from there (sdpdemux and rtspsrc turn the attribute into this cap).
     * FFmpeg 5.1 ignores a=x-dimensions and refuses the header's 0 as "Picture size 0x0 is invalid", so it has no part
     * here.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mjpegrtp.testing.JpegCorpus#overHeaderDimensions")
    void framesOverTheHeaderDimensionsDecodeWithTheSizeFromTheSdp(String name, JpegCorpus.Recipe recipe)
            throws Exception {
        Path source = recipe.make(dir);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);
        template.sendBody("direct:send", jpeg);
        Matcher size = Pattern.compile("a=x-dimensions:(\\d+,\\d+)\r\n")
                .matcher(Files.readString(dir.resolve("stream.sdp")));
        assertThat(size.find()).as("a=x-dimensions in the SDP").isTrue();
        List<byte[]> frames = receiveWithCaps(dir, port, ",x-dimensions=(string)\"" + size.group(1) + "\"",
                expected.length, () -> template.sendBody("direct:send", jpeg));
        for (int i = 0; i < frames.size(); i++) {
            Pixels.assertIdentical(frames.get(i), expected, "frame " + i + " decoded by GSTREAMER");
        }
    }

    /** Two frames GStreamer decoded, its caps on udpsrc extended by {@code extraCaps}. */
    private static List<byte[]> receiveWithCaps(Path dir, int port, String extraCaps, int frameSize, Runnable sendOne)
            throws Exception {
        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), port, extraCaps)) {
            return receiver.awaitFrames(2, frameSize, Duration.ofSeconds(30), sendOne);
        }
    }
}
