package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.NettyLeakDetection;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * FFmpeg and GStreamer's rtspsrc as RTSP viewers, over UDP and over TCP, of two paths of one server: a still JPEG
 * route, whose frames each viewer must decode to exactly what its own decoder makes of the source JPEG, and a live
 * 720p30 route, which must arrive at full rate. A viewer whose program is missing fails, as every peer does.
 */
class RtspMjpegViewerTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int STILL_FRAMES = 3;

    /** The two viewers: how each decodes, counts frames and reports trouble. */
    enum Viewer {
        FFMPEG("ffmpeg") {
            @Override
            byte[] decodeSource(Path source) throws Exception {
                return TestImages.ffmpegDecodeI420(source);
            }

            @Override
            List<byte[]> decodeStill(Path dir, String url, String transport, int frameSize) throws Exception {
                Path out = dir.resolve("received.yuv");
                try (ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"), url, transport,
                        STILL_FRAMES, out)) {
                    ffmpeg.awaitExit(Duration.ofSeconds(20));
                }
                byte[] received = Files.readAllBytes(out);
                assertThat(received).hasSize(STILL_FRAMES * frameSize);
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < STILL_FRAMES; i++) {
                    frames.add(Arrays.copyOfRange(received, i * frameSize, (i + 1) * frameSize));
                }
                return frames;
            }

            @Override
            ExternalTools.Peer counting(Path dir, String url, String transport) {
                return RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"), url, transport);
            }

            @Override
            void assertNoTrouble(ExternalTools.Peer viewer) {
                assertThat(viewer.output()).doesNotContain("missed").doesNotContain("RTP:");
            }
        },
        GSTREAMER("rtspsrc") {
            @Override
            byte[] decodeSource(Path source) throws Exception {
                return TestImages.gstDecodeI420(source);
            }

            @Override
            List<byte[]> decodeStill(Path dir, String url, String transport, int frameSize) throws Exception {
                Path frames = Files.createDirectories(dir.resolve("frames"));
                try (ExternalTools.Peer gst = RtspViewers.gstDecoding(dir.resolve("gst.log"), url, transport, frames)) {
                    return RtspViewers.awaitDecodedFrames(gst, frames, STILL_FRAMES, frameSize, Duration.ofSeconds(20));
                }
            }

            @Override
            ExternalTools.Peer counting(Path dir, String url, String transport) {
                return RtspViewers.gstCounting(dir.resolve("gst.log"), url, transport);
            }

            @Override
            void assertNoTrouble(ExternalTools.Peer viewer) {
                assertThat(viewer.output()).doesNotContain("WARNING").doesNotContain("ERROR");
            }
        };

        private final String label;

        Viewer(String label) {
            this.label = label;
        }

        /** The source JPEG decoded to I420 by the viewer's own decoder, without RTSP. */
        abstract byte[] decodeSource(Path source) throws Exception;

        /** {@link #STILL_FRAMES} frames of {@code frameSize} bytes, decoded to I420 from {@code url}. */
        abstract List<byte[]> decodeStill(Path dir, String url, String transport, int frameSize) throws Exception;

        /** The viewer receiving {@code url} without decoding, counting frames ({@link RtspViewers#framesReceived}). */
        abstract ExternalTools.Peer counting(Path dir, String url, String transport);

        /** No lost packets or errors in the viewer's output. */
        abstract void assertNoTrouble(ExternalTools.Peer viewer);

        @Override
        public String toString() {
            return label;
        }
    }

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();
    private final int port = rtspPort.getPort();

    @TempDir
    Path dir;

    /** What this test measures is what viewers receive, at full rate; it asserts nothing about leaks. */
    @BeforeAll
    static void leakDetectorAsInProduction() {
        NettyLeakDetection.asInProduction();
    }

    static Stream<Arguments> viewersAndTransports() {
        return Stream.of(Viewer.values()).flatMap(viewer -> Stream.of(arguments(viewer, "udp"), arguments(viewer, "tcp")));
    }

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

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("viewersAndTransports")
    void stillFramesDecodeToTheSourcesPixels(Viewer viewer, String transport) throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", 1280, 720, 85);
        byte[] expected = viewer.decodeSource(source);
        List<byte[]> received;
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS)) {
            received = viewer.decodeStill(dir, "rtsp://127.0.0.1:" + port + "/still", transport, expected.length);
        }
        for (int i = 0; i < received.size(); i++) {
            Pixels.assertIdentical(received.get(i), expected, "frame " + i + " " + viewer + " decoded over " + transport);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("viewersAndTransports")
    void liveRouteArrivesAtFullRate(Viewer viewer, String transport) throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1280, 720, FPS);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS);
             ExternalTools.Peer peer = viewer.counting(dir, "rtsp://127.0.0.1:" + port + "/live", transport)) {
            RtspViewers.awaitFirstFrame(peer, Duration.ofSeconds(20));
            Thread.sleep(1000); // past start-up bursts: the jitter buffer releasing what it held
            long publishedBefore = feed.framesSent();
            int receivedBefore = RtspViewers.framesReceived(peer);
            long start = System.nanoTime();
            Thread.sleep(3000); // the measuring window: rates need wall-clock time
            double seconds = (System.nanoTime() - start) / 1e9;
            long published = feed.framesSent() - publishedBefore;
            int received = RtspViewers.framesReceived(peer) - receivedBefore;
            System.out.printf("%s over %s: %d frames in %.2f s = %.2f fps (route %.2f fps)%n", viewer, transport,
                    received, seconds, received / seconds, published / seconds);
            assertThat(received).as("frames received while the route published %d", published)
                    .isBetween((int) published - 3, (int) published + 3);
            viewer.assertNoTrouble(peer);
            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + port + "/live",
                    RtspMjpegEndpoint.class);
            assertThat(endpoint.getFramesDropped()).isZero();
        }
    }
}
