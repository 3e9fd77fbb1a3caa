package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two example folder routes with one SRTP key for every rtp-mjpeg endpoint, set as a user keeps it out of route
 * files: the component option {@code camel.component.rtp-mjpeg.srtpKey}, in an app of its own as {@code java} runs it.
 * The folder goes out as SRTP, the recording route decodes it to the sources' pixels, the SDP file announces RTP/SAVP,
 * and no line of the app's log shows the key (camel-main's summary of the properties it applied masks it).
 */
class SrtpFolderRoutesTest {

    @TempDir
    Path dir;

    @Test
    void folderIsStreamedAsSrtpAndRecordedAndTheKeyIsNeverLogged() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path recorded = dir.resolve("recorded");
        List<Path> sources = List.of(
                TestImages.gstJpeg(in, "a", "smpte", "I420", 320, 240, 85),
                TestImages.gstJpeg(in, "b", "ball", "Y42B", 320, 240, 70));
        int port = LocalPorts.freeRtpPort();
        Path examples = Path.of("examples").toAbsolutePath();
        String key = SrtpMasterKey.random(new SecureRandom()).inline();

        Process app = AppProcess.start(dir, "app",
                "-Dcamel.main.routesIncludePattern=file:" + examples.resolve("record-rtp.yaml") + ",file:"
                        + examples.resolve("folder-to-rtp.yaml"),
                "-Dcamel.component.rtp-mjpeg.srtpKey=" + key,
                "-Drecord.host=127.0.0.1",
                "-Drecord.port=" + port,
                "-Drecord.folder=" + recorded,
                "-Dfolder=" + in,
                "-Ddemo.port=" + port,
                "-Ddemo.sdpFile=" + dir.resolve("stream.sdp"));
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> count(recorded) == sources.size());
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
            app.destroyForcibly();
        }
        List<String> log = Files.readAllLines(dir.resolve("app.log"));

        List<Path> frames;
        try (Stream<Path> files = Files.list(recorded)) {
            frames = files.sorted().toList();
        }
        assertThat(frames).hasSize(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            Pixels.assertIdentical(TestImages.gstDecodeI420(frames.get(i)), TestImages.gstDecodeI420(sources.get(i)),
                    "recorded frame " + i + " against " + sources.get(i).getFileName());
        }
        assertThat(Files.readString(dir.resolve("stream.sdp"))).contains("RTP/SAVP", "a=crypto:1 ");
        String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(key));
        assertThat(log).as("the app's log").anyMatch(line -> line.contains("camel.component.rtp-mjpeg.srtpKey"))
                .anyMatch(line -> line.contains("Sending SRTP/JPEG"))
                .noneMatch(line -> line.contains(key) || line.contains(key.replace('+', ' '))
                        || line.toLowerCase().contains(hex));
    }

    private static long count(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jpg")).count();
        }
    }
}
