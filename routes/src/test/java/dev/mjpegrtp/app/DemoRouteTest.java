package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a user runs it, in both DSLs: the gstreamer consumer streams for a few seconds while three FFmpeg viewers
 * each decode 60 frames, about two seconds' worth: one opens the SDP file the app writes, one the demo's RTSP URL and
 * one its HTTP MJPEG stream (as {@code ffplay stream.sdp}, {@code ffplay rtsp://127.0.0.1:8554/demo} and
 * {@code ffplay http://127.0.0.1:8088/demo.mjpeg} would).
 */
class DemoRouteTest {

    private static final int FRAMES = 60;
    private static final int FRAME_BYTES = 640 * 360 * 3 / 2;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} DSL")
    @ValueSource(strings = {"yaml", "java"})
    void ffmpegPlaysTheSdpFileAndTheRtspUrl(String dsl) throws Exception {
        int port = LocalPorts.freeRtpPort();
        Path sdp = dir.resolve("stream.sdp");
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                "demo.port", String.valueOf(port),
                "demo.sdpFile", sdp.toString(),
                "demo.rtspPort", String.valueOf(rtspPort.getPort()),
                "demo.httpPort", String.valueOf(httpPort.getPort()),
                "demo.width", "640",
                "demo.height", "360",
                "demo.pattern", "colors")); // a pattern that stands still, unlike smpte's corner of snow
        if (dsl.equals("java")) {
            System.setProperty("camel.main.routesBuilderClasses", DemoRoute.class.getName()); // as -D would
        }
        Path out = dir.resolve("received.yuv");
        Path rtspOut = dir.resolve("received-rtsp.yuv");
        Path httpOut = dir.resolve("received-http.yuv");
        try (RunningApp app = new RunningApp(properties)) {
            assertThat(app.context().getRoute("demo")).as("route demo running").isNotNull();
            assertThat(app.context().getRoutes()).hasSize(1);
            assertThat(sdp).exists();
            try (ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error",
                    "-y", "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(), "-frames:v", String.valueOf(FRAMES),
                    "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString());
                 ExternalTools.Peer rtspViewer = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg-rtsp.log"),
                         "rtsp://127.0.0.1:" + rtspPort.getPort() + "/demo", "udp", FRAMES, rtspOut);
                 ExternalTools.Peer httpViewer = ExternalTools.start(dir.resolve("ffmpeg-http.log"), "ffmpeg", "-v",
                         "error", "-y", "-f", "mpjpeg", "-i", "http://127.0.0.1:" + httpPort.getPort() + "/demo.mjpeg",
                         "-frames:v", String.valueOf(FRAMES), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                         httpOut.toString())) {
                ffmpeg.awaitExit(Duration.ofSeconds(30));
                rtspViewer.awaitExit(Duration.ofSeconds(30));
                httpViewer.awaitExit(Duration.ofSeconds(30));
            }
        }
        assertThat(Files.size(out)).isEqualTo((long) FRAMES * FRAME_BYTES);
        assertThat(Files.size(rtspOut)).isEqualTo((long) FRAMES * FRAME_BYTES);
        assertThat(Files.size(httpOut)).isEqualTo((long) FRAMES * FRAME_BYTES);
        // The pattern does not move, so every frame the demo sends is the JPEG jpegenc makes of it, and both viewers
        // must decode exactly what FFmpeg decodes from that JPEG. (ReusedFrameBufferRoundTripTest moves the picture.)
        Path reference = dir.resolve("reference.jpg");
        Files.write(reference, TestImages.gstJpegSequence(dir, "colors", 640, 360, 1).get(0));
        byte[] expected = TestImages.ffmpegDecodeI420(reference);
        assertEveryFrameIs(expected, Files.readAllBytes(out), "SDP viewer");
        assertEveryFrameIs(expected, Files.readAllBytes(rtspOut), "RTSP viewer");
        assertEveryFrameIs(expected, Files.readAllBytes(httpOut), "HTTP viewer");
    }

    private static void assertEveryFrameIs(byte[] expected, byte[] frames, String viewer) {
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(frames, i * FRAME_BYTES, (i + 1) * FRAME_BYTES), expected,
                    viewer + " frame " + i);
        }
    }

    @AfterEach
    void clearDsl() {
        System.clearProperty("camel.main.routesBuilderClasses");
    }
}
