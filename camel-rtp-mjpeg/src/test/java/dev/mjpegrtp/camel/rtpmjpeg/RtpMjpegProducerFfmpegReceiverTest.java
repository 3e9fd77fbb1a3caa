package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mjpegrtp.testing.FfmpegSdpReceiver;
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
 * Our sender to FFmpeg, which opens the SDP file the producer writes ({@code ffmpeg -i stream.sdp}), as ffplay and
 * VLC users do. Every decoded frame must equal what FFmpeg decodes from the source JPEG, whether it went out as it was
 * or transcoded. (Frames over 2040 pixels are not among them: FFmpeg 5.1 ignores a=x-dimensions and refuses the
 * header's 0 as "Picture size 0x0 is invalid".)
 */
class RtpMjpegProducerFfmpegReceiverTest extends CamelTestSupport {

    private static final int FRAMES = 3;

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
        Path source = recipe.make(dir);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path sdp = dir.resolve("stream.sdp");
        assertThat(sdp).exists();

        List<byte[]> frames = FfmpegSdpReceiver.decode(sdp, dir, FRAMES, expected.length,
                () -> template.sendBody("direct:send", jpeg));
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(frames.get(i), expected, "frame " + i + " decoded by FFmpeg");
        }
    }
}
