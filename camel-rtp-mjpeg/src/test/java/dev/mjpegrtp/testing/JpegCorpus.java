package dev.mjpegrtp.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The JPEGs real encoders produce that RFC 2435 carries as they are, made at test time: each case is a name and a
 * recipe run in the test's temporary directory.
 */
public final class JpegCorpus {

    /** Makes one JPEG file in a directory. */
    @FunctionalInterface
    public interface Recipe {
        Path make(Path dir) throws IOException;
    }

    private JpegCorpus() {
    }

    public static Stream<Arguments> carriedAsIs() {
        return Stream.of(
                arguments("gst jpegenc 4:2:0 Q85 1080p (the demo)",
                        (Recipe) dir -> TestImages.gstJpeg(dir, "gst420-1080p", "smpte", "I420", 1920, 1080, 85)),
                arguments("gst jpegenc 4:2:0 Q85", (Recipe) dir -> TestImages.gstJpeg(dir, "gst420", "ball", "I420", 640, 480, 85)),
                arguments("gst jpegenc 4:2:2 Q60", (Recipe) dir -> TestImages.gstJpeg(dir, "gst422", "smpte", "Y42B", 640, 480, 60)),
                arguments("cjpeg 4:2:0 Q75 with restart markers",
                        (Recipe) dir -> TestImages.cjpeg(dir, "cjpeg-restart", 640, 480, "-quality", "75", "-sample", "2x2",
                                "-restart", "1")),
                arguments("cjpeg 4:2:2 Q90", (Recipe) dir -> TestImages.cjpeg(dir, "cjpeg422", 640, 480, "-quality", "90",
                        "-sample", "2x1")),
                arguments("cjpeg Q100 (tables in-band)",
                        (Recipe) dir -> TestImages.cjpeg(dir, "cjpeg100", 640, 480, "-quality", "100")),
                arguments("ffmpeg mjpeg yuvj420p with standard Huffman tables", (Recipe) dir -> ffmpegJpeg(dir)));
    }

    private static Path ffmpegJpeg(Path dir) {
        Path out = dir.resolve("ffmpeg420.jpg");
        ExternalTools.run(Duration.ofSeconds(60), "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=640x480:rate=1", "-frames:v", "1", "-pix_fmt", "yuvj420p", "-huffman", "default",
                "-q:v", "4", out.toString());
        return out;
    }
}
