package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's promise that an {@code application.properties} in the working directory overrides the jar's defaults
 * and that {@code -D} overrides both: the packaged demo, started in a directory holding such a file, streams to the
 * port and writes the SDP file that file names, and serves RTSP on the port {@code -D} gives.
 */
class WorkingDirectoryPropertiesIT {

    @TempDir
    Path dir;

    @Test
    void workingDirectoryFileOverridesDefaultsAndSystemPropertiesOverrideIt() throws Exception {
        int port = LocalPorts.freeRtpPort();
        int rtspPort = LocalPorts.freeTcpPort();
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "demo.port = " + port,
                "demo.sdpFile = from-working-directory.sdp",
                "demo.width = 320",
                "demo.height = 240",
                "demo.rtspPort = 1",
                ""));
        try (RtpFrameCounter counter = new RtpFrameCounter(port)) {
            counter.start();
            Process app = AppProcess.startJar(dir, "app", "-Ddemo.rtspPort=" + rtspPort);
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> counter.frames() >= 30);
                assertThat(dir.resolve("from-working-directory.sdp")).exists();
                assertThat(dir.resolve("stream.sdp")).doesNotExist();
                assertThat(Files.readString(dir.resolve("app.log")))
                        .contains("Serving rtsp://127.0.0.1:" + rtspPort + "/demo");
            } finally {
                app.destroy();
                boolean stopped = app.waitFor(20, TimeUnit.SECONDS);
                app.destroyForcibly();
                assertThat(stopped).as("app stops on SIGTERM").isTrue();
            }
        }
    }
}
