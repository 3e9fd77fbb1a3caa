package dev.mjpegrtp.camel.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FFmpeg's mpjpeg demuxer (what ffplay and VLC-style readers use) and GStreamer's souphttpsrc ! multipartdemux read
 * PATH.mjpeg of a 30 fps stream of changing frames; every frame they decode is, pixel for pixel, the decode of one of
 * the frames sent, in the order sent. The route sends the JPEGs as they are to one path, and through
 * JpegToRfc2435Processor to another, whose JPEGs the server rebuilds from the RFC 2435 frames; the frames are
 * GStreamer's jpegenc output, and the same losslessly recoded with optimized Huffman tables and restart markers
 * (which the processor transcodes and marks as RFC 2435 types 64+).
 */
class HttpMjpegViewerTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAME_BYTES = WIDTH * HEIGHT * 3 / 2;
    private static final int FRAMES_TO_READ = 20;

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    /** What the route sends http-mjpeg: the path it goes to. */
    enum Body {
        JPEG("jpeg"), RFC2435_FRAME("frames");

        final String path;

        Body(String path) {
            this.path = path;
        }
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String server = "http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/";
                from("direct:" + Body.JPEG.path).to(server + Body.JPEG.path);
                from("direct:" + Body.RFC2435_FRAME.path).process(new JpegToRfc2435Processor())
                        .to(server + Body.RFC2435_FRAME.path);
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"JPEG, false", "RFC2435_FRAME, false", "JPEG, true", "RFC2435_FRAME, true"})
    void ffmpegDecodesEveryFrameToTheSourcePixels(Body body, boolean optimizedWithRestarts) throws Exception {
        List<Path> sources = sources(optimizedWithRestarts);
        List<byte[]> expected = decodeAll(sources, TestImages::ffmpegDecodeI420);
        Path out = dir.resolve("ffmpeg.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:" + body.path, read(sources), FPS)) {
            ExternalTools.run(Duration.ofSeconds(60), "ffmpeg", "-v", "error", "-y",
                    "-f", "mpjpeg", "-i", "http://127.0.0.1:" + httpPort.getPort() + "/" + body.path + ".mjpeg",
                    "-frames:v", String.valueOf(FRAMES_TO_READ), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                    out.toString());
        }
        assertFramesInOrder(Files.readAllBytes(out), expected, FRAMES_TO_READ, "ffmpeg");
    }

    @ParameterizedTest
    @EnumSource(Body.class)
    void gstreamerDecodesEveryFrameToTheSourcePixels(Body body) throws Exception {
        List<Path> sources = sources(false);
        List<byte[]> expected = decodeAll(sources, TestImages::gstDecodeI420);
        Path out = dir.resolve("gst.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:" + body.path, read(sources), FPS)) {
            ExternalTools.run(Duration.ofSeconds(60), "gst-launch-1.0", "-q",
                    "souphttpsrc", "location=http://127.0.0.1:" + httpPort.getPort() + "/" + body.path + ".mjpeg",
                    "!", "multipartdemux", "single-stream=true", "!", "image/jpeg", "!", "jpegdec",
                    // identity sends end-of-stream in place of the Nth buffer: N - 1 frames reach the file
                    "!", "videoconvert", "!", "video/x-raw,format=I420", "!", "identity",
                    "eos-after=" + (FRAMES_TO_READ + 1), "!", "filesink", "location=" + out);
        }
        assertFramesInOrder(Files.readAllBytes(out), expected, FRAMES_TO_READ, "gst");
    }

    /**
     * Ten frames of scrolling bars, each different from the one before; with {@code optimizedWithRestarts}, each
     * recoded by jpegtran (lossless) with optimized Huffman tables and a restart marker every MCU row.
     */
    private List<Path> sources(boolean optimizedWithRestarts) throws Exception {
        TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", WIDTH, HEIGHT, 10);
        List<Path> sources = new ArrayList<>();
        try (var files = Files.list(dir.resolve("sequence-smpte-horizontal-speed-8-" + WIDTH + "x" + HEIGHT))) {
            files.sorted().forEach(sources::add);
        }
        if (!optimizedWithRestarts) {
            return sources;
        }
        List<Path> recoded = new ArrayList<>();
        for (Path source : sources) {
            String name = "optimized-restart-" + source.getFileName().toString().replace(".jpg", "");
            recoded.add(TestImages.jpegtran(dir, source, name, "-optimize", "-restart", "1"));
        }
        return recoded;
    }

    private static List<byte[]> read(List<Path> sources) throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        for (Path source : sources) {
            jpegs.add(Files.readAllBytes(source));
        }
        return jpegs;
    }

    private static List<byte[]> decodeAll(List<Path> sources, Decoder decoder) throws Exception {
        List<byte[]> decoded = new ArrayList<>();
        for (Path source : sources) {
            decoded.add(decoder.decode(source));
        }
        return decoded;
    }

    private interface Decoder {
        byte[] decode(Path jpeg) throws Exception;
    }

    /**
     * Each decoded frame is one of the sources, and each is the one sent after the previous (or a later one, when the
     * viewer skipped): never an older one, never a mixture.
     */
    static void assertFramesInOrder(byte[] decoded, List<byte[]> expected, int frames, String viewer) {
        assertThat(decoded.length).as(viewer + " decoded bytes").isEqualTo(frames * FRAME_BYTES);
        int previous = -1;
        int distinct = 0;
        for (int i = 0; i < frames; i++) {
            byte[] frame = Arrays.copyOfRange(decoded, i * FRAME_BYTES, (i + 1) * FRAME_BYTES);
            int match = -1;
            for (int j = 0; j < expected.size() && match < 0; j++) {
                if (Arrays.equals(frame, expected.get(j))) {
                    match = j;
                }
            }
            if (match < 0) {
                Pixels.assertIdentical(frame, expected.get((previous + 1) % expected.size()),
                        viewer + " frame " + i + " against the next source frame");
            }
            if (previous >= 0 && match != previous) {
                int step = Math.floorMod(match - previous, expected.size());
                assertThat(step).as(viewer + " frame " + i + " follows source " + previous + " with source " + match)
                        .isBetween(1, 3);
            }
            if (match != previous) {
                distinct++;
            }
            previous = match;
        }
        assertThat(distinct).as(viewer + ": frames that changed").isGreaterThanOrEqualTo(frames / 2);
    }
}
