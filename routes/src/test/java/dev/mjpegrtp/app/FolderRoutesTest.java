package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two example YAML routes shipped in routes/examples, run together by the app as a user would
 * ({@code camel.main.routesIncludePattern}): a folder of JPEGs streamed with file: → rtp-mjpeg:, and the stream
 * recorded with rtp-mjpeg: → file:. Every recorded frame decodes to the pixels of its source file.
 */
class FolderRoutesTest {

    @TempDir
    Path dir;

    @Test
    void folderIsStreamedAndRecorded() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path recorded = dir.resolve("recorded");
        List<Path> sources = List.of(
                TestImages.gstJpeg(in, "a", "smpte", "I420", 320, 240, 85),
                TestImages.gstJpeg(in, "b", "ball", "Y42B", 320, 240, 70),
                TestImages.cjpeg(in, "c", 320, 240, "-quality", "95", "-restart", "2"));
        int port = LocalPorts.freeRtpPort();
        Path examples = Path.of("examples").toAbsolutePath();

        try (RunningApp app = new RunningApp(Map.of(
                "camel.main.routesIncludePattern", "file:" + examples.resolve("record-rtp.yaml") + ",file:"
                        + examples.resolve("folder-to-rtp.yaml"),
                "record.host", "127.0.0.1",
                "record.port", String.valueOf(port),
                "record.folder", recorded.toString(),
                "folder", in.toString(),
                "demo.port", String.valueOf(port),
                "demo.sdpFile", dir.resolve("stream.sdp").toString()))) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> count(recorded) == sources.size());
        }

        List<Path> frames;
        try (Stream<Path> files = Files.list(recorded)) {
            frames = files.sorted().toList();
        }
        // Files are read in name order and frames recorded in arrival order: frame i is source i.
        for (int i = 0; i < sources.size(); i++) {
            Pixels.assertIdentical(TestImages.gstDecodeI420(frames.get(i)), TestImages.gstDecodeI420(sources.get(i)),
                    "recorded frame " + i + " against " + sources.get(i).getFileName());
        }
        assertThat(frames).hasSize(sources.size());
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
