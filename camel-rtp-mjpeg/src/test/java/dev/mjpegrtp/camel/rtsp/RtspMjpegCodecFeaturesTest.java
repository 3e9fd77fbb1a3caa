package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JpegCorpus;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JPEG the rtp-mjpeg component carries reaches RTSP viewers just as well: 4:2:0 and 4:2:2, restart markers,
 * quantization tables in-band (Q 255), FFmpeg's and GStreamer's encoders. Raw JPEG bodies, packetized by the
 * producer. FFmpeg over TCP must decode each frame to exactly what it decodes from the source file.
 */
class RtspMjpegCodecFeaturesTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:still").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/still");
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mjpegrtp.testing.JpegCorpus#carriedAsIs")
    void decodedFramesEqualTheSource(String name, JpegCorpus.Recipe recipe) throws Exception {
        Path source = recipe.make(dir);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path out = dir.resolve("received.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), 30);
             ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"),
                     "rtsp://127.0.0.1:" + rtspPort.getPort() + "/still", "tcp", 2, out)) {
            ffmpeg.awaitExit(Duration.ofSeconds(20));
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(2 * expected.length);
        for (int i = 0; i < 2; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * expected.length, (i + 1) * expected.length), expected,
                    "frame " + i + " of " + name);
        }
    }
}
