package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.ExternalTools;
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
import static org.junit.jupiter.api.Assertions.fail;

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
        Path out = dir.resolve("received.yuv");

        try (ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error", "-y",
                "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(), "-frames:v", String.valueOf(FRAMES),
                "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ffmpeg.isAlive() && System.nanoTime() < deadline) {
                template.sendBody("direct:send", jpeg);
                Thread.sleep(40); // frame interval: a live source's pace
            }
            if (ffmpeg.isAlive()) {
                fail("ffmpeg did not decode " + FRAMES + " frames in 30 s:\n" + ffmpeg.output());
            }
            ffmpeg.awaitExit(java.time.Duration.ofSeconds(5));
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(FRAMES * expected.length);
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * expected.length, (i + 1) * expected.length), expected,
                    "frame " + i + " decoded by FFmpeg");
        }
    }
}
