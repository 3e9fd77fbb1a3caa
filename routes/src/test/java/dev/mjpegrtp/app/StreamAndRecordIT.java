package dev.mjpegrtp.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * routes/examples/stream-and-record.yaml run by the packaged jar as the README starts it ({@code java @jvm.options
 * -Dcamel.main.routesIncludePattern=file:... -jar target/mjpeg-rtp.jar}), nothing of the test's class path with it:
 * {@code timer:}, {@code controlbus:}, {@code log:}, {@code direct:}, {@code bean:} and {@code seda:} (through a
 * wireTap, to {@code file:}) beside {@code gstreamer:} → {@code rtp-mjpeg:}. A GStreamer receiver counts the frames
 * (full rate of a 320x240@30 moving ball), and every frame the seda: branch wrote decodes, pixel for pixel and in
 * the same order, to a frame the receiver decoded from RTP.
 */
class StreamAndRecordIT {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAME_SIZE = WIDTH * HEIGHT * 3 / 2;

    @TempDir
    Path dir;

    @Test
    void streamsAtFullRateAndRecordsWholeFrames() throws Exception {
        int port = LocalPorts.freeRtpPort();
        Path recorded = dir.resolve("recorded");
        Path route = Path.of("examples", "stream-and-record.yaml").toAbsolutePath();
        List<byte[]> received;
        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), port)) {
            Process app = AppProcess.startJar(dir, "app", "-Dcamel.main.routesIncludePattern=file:" + route,
                    "-Drecord.folder=" + recorded, "-Ddemo.width=" + WIDTH, "-Ddemo.height=" + HEIGHT,
                    "-Ddemo.pattern=ball", "-Ddemo.port=" + port, "-Ddemo.sdpFile=" + dir.resolve("stream.sdp"));
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.frames(FRAME_SIZE).size() >= 15);
                int before = receiver.frames(FRAME_SIZE).size();
                long start = System.nanoTime();
                Thread.sleep(5_000);
                int after = receiver.frames(FRAME_SIZE).size();
                double fps = (after - before) * 1e9 / (System.nanoTime() - start);
                assertThat(fps).as("frames a second the receiver decoded, 320x240@30").isGreaterThanOrEqualTo(29);

                app.destroy(); // SIGTERM: the routes stop gracefully, the frame in flight is sent
                assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the app exits after SIGTERM").isTrue();
            } finally {
                app.destroyForcibly();
            }
            Thread.sleep(500); // the receiver's jitter buffer holds the last frames for 100 ms
            received = receiver.frames(FRAME_SIZE);
        }

        String log = Files.readString(dir.resolve("app.log"));
        assertThat(log).as("timer: → controlbus: → log: in the app's log")
                .contains("recorder - Exchange[Body: Started]")
                .doesNotContain(" ERROR ", " WARN ");

        List<byte[]> written = decodeInSequence(recorded);
        assertThat(written).as("frames the seda: branch wrote in 5 s or more at 30 fps").hasSizeGreaterThan(150);
        Map<ByteBuffer, List<Integer>> receivedAt = new HashMap<>();
        for (int i = 0; i < received.size(); i++) {
            receivedAt.computeIfAbsent(ByteBuffer.wrap(received.get(i)), k -> new ArrayList<>()).add(i);
        }
        // The ball's positions repeat, so a picture may match several received frames: each written frame must
        // match one after the previous written frame's.
        int previous = -1;
        for (int i = 0; i < written.size(); i++) {
            int after = previous;
            int frame = i;
            previous = receivedAt.getOrDefault(ByteBuffer.wrap(written.get(i)), List.of()).stream()
                    .filter(index -> index > after)
                    .findFirst()
                    .orElseGet(() -> fail("written frame " + frame + " of " + written.size() + " decodes to no frame"
                            + " the receiver decoded after frame " + after + " of " + received.size()));
        }
    }

    /** The JPEGs in {@code folder}, frame-SEQUENCE.jpg, in sequence order, decoded to I420 by one jpegdec run. */
    private List<byte[]> decodeInSequence(Path folder) throws IOException {
        List<Path> jpegs;
        try (Stream<Path> files = Files.list(folder)) {
            jpegs = files.sorted(Comparator.comparingLong(StreamAndRecordIT::sequence)).toList();
        }
        Path ordered = Files.createDirectories(dir.resolve("ordered"));
        Path decoded = Files.createDirectories(dir.resolve("decoded"));
        for (int i = 0; i < jpegs.size(); i++) {
            Files.copy(jpegs.get(i), ordered.resolve(String.format("frame-%05d.jpg", i)));
        }
        ExternalTools.run(Duration.ofSeconds(60), "gst-launch-1.0", "-q", "multifilesrc",
                "location=" + ordered.resolve("frame-%05d.jpg"), "caps=image/jpeg,framerate=30/1", "!", "jpegdec",
                "!", "videoconvert", "!", "video/x-raw,format=I420", "!", "multifilesink",
                "location=" + decoded.resolve("frame-%05d.i420"));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            byte[] frame = Files.readAllBytes(decoded.resolve(String.format("frame-%05d.i420", i)));
            assertThat(frame).as("decoded " + jpegs.get(i).getFileName()).hasSize(FRAME_SIZE);
            frames.add(frame);
        }
        return frames;
    }

    private static long sequence(Path jpeg) {
        String name = jpeg.getFileName().toString();
        return Long.parseLong(name.substring("frame-".length(), name.length() - ".jpg".length()));
    }
}
