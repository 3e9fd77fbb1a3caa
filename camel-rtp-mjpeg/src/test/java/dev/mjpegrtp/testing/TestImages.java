package dev.mjpegrtp.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Makes JPEG test images with real encoders (cjpeg, GStreamer's jpegenc, FFmpeg) at test time. */
public final class TestImages {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private TestImages() {
    }

    /**
     * A deterministic RGB picture with gradients, edges and fine detail, written as a binary PPM (what cjpeg reads).
     */
    public static Path ppm(Path dir, int width, int height) throws IOException {
        Path file = dir.resolve("source-" + width + "x" + height + ".ppm");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("P6\n" + width + " " + height + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] row = new byte[width * 3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int checker = ((x >> 4) + (y >> 4)) % 2 == 0 ? 40 : 0;
                    row[3 * x] = (byte) (x * 255 / Math.max(1, width - 1));
                    row[3 * x + 1] = (byte) (y * 255 / Math.max(1, height - 1) - checker);
                    row[3 * x + 2] = (byte) ((x ^ y) * 7 + checker);
                }
                out.write(row);
            }
        }
        return file;
    }

    /** {@code cjpeg} with the given options on a {@link #ppm} of the given size. */
    public static Path cjpeg(Path dir, String name, int width, int height, String... options) throws IOException {
        Path source = ppm(dir, width, height);
        Path out = dir.resolve(name + ".jpg");
        List<String> command = new ArrayList<>(List.of("cjpeg"));
        command.addAll(List.of(options));
        command.addAll(List.of("-outfile", out.toString(), source.toString()));
        ExternalTools.run(TOOL_TIMEOUT, command.toArray(String[]::new));
        return out;
    }

    /** {@code jpegtran} with the given options on {@code source}, lossless by construction. */
    public static Path jpegtran(Path dir, Path source, String name, String... options) {
        Path out = dir.resolve(name + ".jpg");
        List<String> command = new ArrayList<>(List.of("jpegtran"));
        command.addAll(List.of(options));
        command.addAll(List.of("-outfile", out.toString(), source.toString()));
        ExternalTools.run(TOOL_TIMEOUT, command.toArray(String[]::new));
        return out;
    }

    /** A scan script for {@code cjpeg -scans}, one scan per line ("components: Ss Se Ah Al;"). */
    public static Path scanScript(Path dir, String... scans) throws IOException {
        return Files.write(dir.resolve("scans-" + scans.length + ".txt"), List.of(scans));
    }

    /** One frame of GStreamer's videotestsrc through jpegenc, in the given raw format (I420 for 4:2:0, Y42B for 4:2:2). */
    public static Path gstJpeg(Path dir, String name, String pattern, String format, int width, int height, int quality) {
        Path out = dir.resolve(name + ".jpg");
        ExternalTools.run(TOOL_TIMEOUT, "gst-launch-1.0", "-q", "videotestsrc", "num-buffers=1", "pattern=" + pattern,
                "!", "video/x-raw,format=" + format + ",width=" + width + ",height=" + height,
                "!", "jpegenc", "quality=" + quality, "!", "filesink", "location=" + out);
        return out;
    }

    /**
     * {@code count} consecutive frames of a videotestsrc through jpegenc (4:2:0), as a live 30 fps camera would send
     * them.
     *
     * @param pattern the pattern and any further videotestsrc properties, e.g. {@code smpte horizontal-speed=8}
     *                (scrolling bars, about 65 KB a frame at 720p) or {@code ball} (about 15 KB)
     */
    public static List<byte[]> gstJpegSequence(Path dir, String pattern, int width, int height, int count)
            throws IOException {
        Path sequence = Files.createDirectories(dir.resolve("sequence-" + pattern.replaceAll("[^A-Za-z0-9]+", "-")
                + "-" + width + "x" + height));
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q", "videotestsrc", "num-buffers=" + count));
        String[] properties = pattern.split(" ");
        command.add("pattern=" + properties[0]);
        command.addAll(List.of(properties).subList(1, properties.length));
        command.addAll(List.of("!", "video/x-raw,format=I420,width=" + width + ",height=" + height + ",framerate=30/1",
                "!", "jpegenc", "quality=85", "!", "multifilesink", "location=" + sequence.resolve("frame-%03d.jpg")));
        ExternalTools.run(TOOL_TIMEOUT, command.toArray(String[]::new));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(Files.readAllBytes(sequence.resolve(String.format("frame-%03d.jpg", i))));
        }
        return frames;
    }

    /** Decodes a JPEG with GStreamer's jpegdec to raw I420 bytes. */
    public static byte[] gstDecodeI420(Path jpeg) throws IOException {
        Path raw = Files.createTempFile(jpeg.getParent(), "decoded", ".i420");
        ExternalTools.run(TOOL_TIMEOUT, "gst-launch-1.0", "-q", "filesrc", "location=" + jpeg, "!", "jpegdec",
                "!", "videoconvert", "!", "video/x-raw,format=I420", "!", "filesink", "location=" + raw);
        return Files.readAllBytes(raw);
    }

    /** Decodes a JPEG with FFmpeg to raw yuv420p bytes. */
    public static byte[] ffmpegDecodeI420(Path jpeg) throws IOException {
        Path raw = Files.createTempFile(jpeg.getParent(), "decoded", ".yuv");
        ExternalTools.run(TOOL_TIMEOUT, "ffmpeg", "-v", "error", "-y", "-i", jpeg.toString(), "-f", "rawvideo",
                "-pix_fmt", "yuv420p", raw.toString());
        return Files.readAllBytes(raw);
    }
}
