package dev.mjpegrtp.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The JPEGs real encoders produce, made at test time: each case is a name and a recipe run in the test's temporary
 * directory. {@link #carriedAsIs()} are sent as they are, {@link #needsTranscoding()} are re-encoded losslessly
 * first, {@link #overHeaderDimensions()} need their size announced out of band, and {@link #notCarried()} cannot be
 * carried without loss.
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
                arguments("cjpeg Q5 -baseline (8-bit tables clamped to 255)",
                        (Recipe) dir -> TestImages.cjpeg(dir, "cjpeg5", 320, 240, "-quality", "5", "-baseline")),
                arguments("cjpeg 4:2:0 Q85, restart every 4 MCUs",
                        (Recipe) dir -> TestImages.cjpeg(dir, "cjpeg-restart4", 320, 240, "-quality", "85",
                                "-restart", "4B")),
                arguments("ffmpeg mjpeg yuvj420p with standard Huffman tables",
                        (Recipe) dir -> ffmpegJpeg(dir, "ffmpeg420", "yuvj420p", "default")));
    }

    /** Valid JPEGs RFC 2435 cannot carry as they are, re-encoded losslessly by the parser before sending. */
    public static Stream<Arguments> needsTranscoding() {
        return Stream.of(
                arguments("cjpeg -optimize (optimized Huffman tables) 4:2:0 Q85",
                        (Recipe) dir -> TestImages.cjpeg(dir, "optimized", 640, 480, "-optimize", "-quality", "85")),
                arguments("cjpeg -optimize with restart markers",
                        (Recipe) dir -> TestImages.cjpeg(dir, "optimized-restart", 640, 480, "-optimize", "-restart",
                                "1")),
                arguments("cjpeg 4:2:2 coded as Y 2x2, Cb/Cr 1x2",
                        (Recipe) dir -> TestImages.cjpeg(dir, "sample221", 640, 480, "-sample", "2x2,1x2,1x2")),
                arguments("cjpeg -progressive 4:2:0",
                        (Recipe) dir -> TestImages.cjpeg(dir, "progressive", 640, 480, "-progressive")),
                arguments("jpegtran -progressive of a 4:2:2 JPEG", (Recipe) dir -> TestImages.jpegtran(dir,
                        TestImages.cjpeg(dir, "baseline422", 640, 480, "-sample", "2x1"), "progressive422",
                        "-progressive")),
                arguments("cjpeg -grayscale", (Recipe) dir -> TestImages.cjpeg(dir, "gray", 320, 240, "-grayscale")),
                arguments("cjpeg one sequential scan per component",
                        (Recipe) dir -> TestImages.cjpeg(dir, "scan-per-component", 320, 240, "-scans",
                                TestImages.scanScript(dir, "0: 0 63 0 0;", "1: 0 63 0 0;", "2: 0 63 0 0;").toString())),
                arguments("ffmpeg mjpeg yuvj420p, default (optimal) Huffman tables",
                        (Recipe) dir -> ffmpegJpeg(dir, "ffmpeg420-optimal", "yuvj420p", "optimal")),
                arguments("ffmpeg mjpeg yuvj422p (Y 2x2, Cb/Cr 1x2), default Huffman tables",
                        (Recipe) dir -> ffmpegJpeg(dir, "ffmpeg422-optimal", "yuvj422p", "optimal")));
    }

    /**
     * Frames wider or taller than the 2040 pixels the RFC 2435 header holds: it says 0 and the SDP announces the size
     * (a=x-dimensions), which GStreamer reads; FFmpeg 5.1 has no way to learn it ("Picture size 0x0 is invalid").
     */
    public static Stream<Arguments> overHeaderDimensions() {
        return Stream.of(
                arguments("gst jpegenc 4:2:0 Q85 3840x2160",
                        (Recipe) dir -> TestImages.gstJpeg(dir, "gst420-2160p", "smpte", "I420", 3840, 2160, 85)));
    }

    /** Valid JPEGs RFC 2435 cannot carry without loss, each with the words its rejection must contain. */
    public static Stream<Arguments> notCarried() {
        return Stream.of(
                arguments("cjpeg -arithmetic", (Recipe) dir -> TestImages.cjpeg(dir, "arithmetic", 64, 48, "-arithmetic"),
                        "arithmetic-coded JPEG not supported by RFC 2435"),
                arguments("cjpeg -progressive -arithmetic", (Recipe) dir -> TestImages.cjpeg(dir, "arithmetic-progressive",
                        64, 48, "-progressive", "-arithmetic"), "arithmetic-coded JPEG not supported by RFC 2435"),
                arguments("cjpeg 4:4:4", (Recipe) dir -> TestImages.cjpeg(dir, "sample444", 64, 48, "-sample", "1x1"),
                        "4:4:4 chroma subsampling not supported by RFC 2435"),
                arguments("cjpeg 4:1:1", (Recipe) dir -> TestImages.cjpeg(dir, "sample411", 64, 48, "-sample", "4x1"),
                        "chroma subsampling Y 4x1, Cb 1x1, Cr 1x1 not supported by RFC 2435"),
                arguments("cjpeg -rgb", (Recipe) dir -> TestImages.cjpeg(dir, "rgb", 64, 48, "-rgb"),
                        "RGB-coded JPEG"),
                arguments("ffmpeg mjpeg yuvj444p", (Recipe) dir -> ffmpegJpeg(dir, "ffmpeg444", "yuvj444p", "default"),
                        "4:4:4 chroma subsampling not supported by RFC 2435"));
    }

    private static Path ffmpegJpeg(Path dir, String name, String pixelFormat, String huffman) {
        Path out = dir.resolve(name + ".jpg");
        ExternalTools.run(Duration.ofSeconds(60), "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=640x480:rate=1", "-frames:v", "1", "-pix_fmt", pixelFormat, "-huffman", huffman,
                "-q:v", "4", out.toString());
        return out;
    }
}
