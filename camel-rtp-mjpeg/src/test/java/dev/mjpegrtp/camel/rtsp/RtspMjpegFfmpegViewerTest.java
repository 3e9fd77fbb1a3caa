package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
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
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FFmpeg as the RTSP viewer, over UDP and over TCP, of two paths of one server: a still JPEG route, whose decoded
 * frames must equal FFmpeg's decode of the source JPEG, and a live 720p30 route, which must arrive at full rate.
 */
class RtspMjpegFfmpegViewerTest extends CamelTestSupport {

    private static final int FPS = 30;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();
    private final int port = rtspPort.getPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                from("direct:still").process("jpegToRfc2435").to("rtsp-mjpeg:127.0.0.1:" + port + "/still");
                from("direct:live").to("rtsp-mjpeg:127.0.0.1:" + port + "/live");
            }
        };
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void stillFramesDecodeToTheSourcesPixels(String transport) throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", 1280, 720, 85);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path out = dir.resolve("received.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS);
             ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"),
                     "rtsp://127.0.0.1:" + port + "/still", transport, 3, out)) {
            ffmpeg.awaitExit(Duration.ofSeconds(20));
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(3 * expected.length);
        for (int i = 0; i < 3; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * expected.length, (i + 1) * expected.length), expected,
                    "frame " + i + " FFmpeg decoded over " + transport);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void liveRouteArrivesAtFullRate(String transport) throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1280, 720, FPS);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS);
             ExternalTools.Peer ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                     "rtsp://127.0.0.1:" + port + "/live", transport)) {
            RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            Thread.sleep(1000); // past start-up bursts: the jitter buffer releasing what it held
            long publishedBefore = feed.framesSent();
            int receivedBefore = RtspViewers.framesReceived(ffmpeg);
            long start = System.nanoTime();
            Thread.sleep(3000); // the measuring window: rates need wall-clock time
            double seconds = (System.nanoTime() - start) / 1e9;
            long published = feed.framesSent() - publishedBefore;
            int received = RtspViewers.framesReceived(ffmpeg) - receivedBefore;
            System.out.printf("ffmpeg over %s: %d frames in %.2f s = %.2f fps (route %.2f fps)%n", transport, received,
                    seconds, received / seconds, published / seconds);
            assertThat(received).as("frames received while the route published %d", published)
                    .isBetween((int) published - 3, (int) published + 3);
            assertThat(ffmpeg.output()).doesNotContain("missed").doesNotContain("RTP:");
            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + port + "/live",
                    RtspMjpegEndpoint.class);
            assertThat(endpoint.getFramesDropped()).isZero();
        }
    }
}
