package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.UdpPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a user runs it, in both DSLs: the gstreamer consumer streams for a few seconds, and FFmpeg, opening the
 * SDP file the app writes (as ffplay would), decodes 60 frames, about two seconds' worth.
 */
class DemoRouteTest {

    private static final int FRAMES = 60;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} DSL")
    @ValueSource(strings = {"yaml", "java"})
    void ffmpegPlaysTheStreamFromTheSdpFile(String dsl) throws Exception {
        int port = UdpPorts.freeRtpPort();
        Path sdp = dir.resolve("stream.sdp");
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                "demo.port", String.valueOf(port),
                "demo.sdpFile", sdp.toString(),
                "demo.width", "640",
                "demo.height", "360"));
        if (dsl.equals("java")) {
            System.setProperty("camel.main.routesBuilderClasses", DemoRoute.class.getName()); // as -D would
        }
        Path out = dir.resolve("received.yuv");
        try (RunningApp app = new RunningApp(properties)) {
            assertThat(app.context().getRoute("demo")).as("route demo running").isNotNull();
            assertThat(app.context().getRoutes()).hasSize(1);
            assertThat(sdp).exists();
            try (ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error",
                    "-y", "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(), "-frames:v", String.valueOf(FRAMES),
                    "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString())) {
                ffmpeg.awaitExit(Duration.ofSeconds(30));
            }
        }
        assertThat(Files.size(out)).isEqualTo((long) FRAMES * 640 * 360 * 3 / 2);
    }

    @AfterEach
    void clearDsl() {
        System.clearProperty("camel.main.routesBuilderClasses");
    }
}
