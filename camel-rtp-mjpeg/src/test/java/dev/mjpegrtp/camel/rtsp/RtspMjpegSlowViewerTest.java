package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.management.openmbean.CompositeData;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.NettyLeakDetection;
import dev.mjpegrtp.testing.RtpFrameChecker;
import dev.mjpegrtp.testing.RtpPacket;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TCP viewer that sets up playback of a 720p30 stream and stops reading: it loses whole frames, counted, and is
 * disconnected after the viewer timeout (2 s here), while a viewer reading every packet and FFmpeg over TCP miss no
 * frame and the route keeps its pace.
 */
class RtspMjpegSlowViewerTest extends CamelTestSupport {

    private static final int FPS = 30;
    /** A one-frame step at 30 fps on the 90 kHz clock is 3000 ticks; a missing frame would make it 6000. */
    private static final long ONE_FRAME_STEP = 3001;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    /** What this test measures is the server's isolation of viewers; it asserts nothing about leaks. */
    @BeforeAll
    static void leakDetectorAsInProduction() {
        NettyLeakDetection.asInProduction();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/live?viewerTimeout=2000");
            }
        };
    }

    @Test
    void stalledViewerCostsOthersNothingAndIsDisconnected() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1280, 720, FPS);
        RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort()
                + "/live?viewerTimeout=2000", RtspMjpegEndpoint.class);
        AtomicBoolean reading = new AtomicBoolean(true);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS);
             RtspTestClient good = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "live");
             RtspTestClient stalled = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "live", 16 * 1024);
             ExternalTools.Peer ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                     "rtsp://127.0.0.1:" + rtspPort.getPort() + "/live", "tcp")) {
            RtspTestClient.Response play = good.playInterleaved();
            RtpFrameChecker checker = new RtpFrameChecker(RtspMjpegRtpContinuityTest.ssrcOf(play.setup()),
                    play.rtpInfoSequence());
            CompletableFuture<Void> goodViewer = CompletableFuture.runAsync(() -> readAll(good, checker, reading));
            RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            long publishedAtStall = feed.framesSent();
            long stallStart = System.nanoTime();
            stalled.playInterleaved(); // and never reads a byte of what follows
            assertThat(endpoint.getViewers()).isEqualTo(3);

            await().atMost(Duration.ofSeconds(15)).until(() -> endpoint.getViewers() == 2);
            double stalledFor = (System.nanoTime() - stallStart) / 1e9;
            assertThat(endpoint.getFramesDropped()).as("frames the stalled viewer lost").isPositive();
            assertThat(stalled.closedByServer(Duration.ofSeconds(5))).as("stalled viewer disconnected").isTrue();

            long published = feed.framesSent() - publishedAtStall;
            assertThat(published / stalledFor).as("the route's frame rate while a viewer stalled").isGreaterThan(FPS - 1.5);
            for (CompositeData viewer : endpoint.viewerStatistics().values().toArray(CompositeData[]::new)) {
                assertThat((Long) viewer.get("framesDropped")).as("frames dropped for " + viewer.get("client")).isZero();
            }
            reading.set(false);
            goodViewer.get(10, TimeUnit.SECONDS);
            assertThat(checker.largestFrameStep()).as("largest timestamp step seen by the reading viewer")
                    .isLessThanOrEqualTo(ONE_FRAME_STEP);
            assertThat(checker.frames()).isGreaterThanOrEqualTo((int) published);
            assertThat(ffmpeg.output()).doesNotContain("missed");
            System.out.printf("stalled viewer disconnected after %.1f s; %d frames dropped for it; route at %.2f fps%n",
                    stalledFor, endpoint.getFramesDropped(), published / stalledFor);
        }
    }

    private static void readAll(RtspTestClient client, RtpFrameChecker checker, AtomicBoolean reading) {
        try {
            while (reading.get()) {
                RtspTestClient.Interleaved packet = client.readInterleaved();
                if (packet.channel() == 0) {
                    checker.accept(RtpPacket.parse(packet.data()));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
