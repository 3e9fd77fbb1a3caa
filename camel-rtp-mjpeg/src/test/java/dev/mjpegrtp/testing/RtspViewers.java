package dev.mjpegrtp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real RTSP clients as viewers: FFmpeg ({@code -rtsp_transport udp|tcp}) and GStreamer's rtspsrc
 * ({@code protocols=udp|tcp}), either decoding frames to raw I420 files for pixel comparisons, or passing the JPEG
 * frames through undecoded and printing one line per frame, which is cheap enough for many viewers at once.
 */
public final class RtspViewers {

    /** One line per frame: FFmpeg's framecrc muxer ({@code 0, dts, pts, duration, size, crc}). */
    private static final Pattern FFMPEG_FRAME = Pattern.compile("(?m)^0,\\s+-?\\d+,");
    /** One line per frame: fakesink's last-message under {@code gst-launch-1.0 -v}. */
    private static final Pattern GST_FRAME = Pattern.compile("last-message = chain");

    private RtspViewers() {
    }

    /**
     * FFmpeg decoding {@code frames} frames to yuv420p in {@code out}, then exiting.
     *
     * @param inputOptions more options for the input, such as {@code -tls_verify 1 -ca_file ca.pem} for rtsps://
     */
    public static ExternalTools.Peer ffmpegDecoding(Path log, String url, String transport, int frames, Path out,
                                                    String... inputOptions) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-rtsp_transport", transport));
        command.addAll(List.of(inputOptions));
        command.addAll(List.of("-i", url, "-frames:v", String.valueOf(frames), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                out.toString()));
        return ExternalTools.start(log, command.toArray(String[]::new));
    }

    /**
     * FFmpeg receiving without decoding, one framecrc line per frame; warnings (such as lost packets) logged. Its UDP
     * receive buffer is 4 MiB, not 64 KiB, so that packets arriving while it probes the stream are not lost in the
     * kernel on a busy machine.
     */
    public static ExternalTools.Peer ffmpegCounting(Path log, String url, String transport) {
        return ExternalTools.start(log, "ffmpeg", "-v", "warning", "-rtsp_transport", transport,
                "-buffer_size", String.valueOf(4 * 1024 * 1024), "-i", url, "-c:v", "copy", "-f", "framecrc", "-");
    }

    /**
     * rtspsrc, rtpjpegdepay and jpegdec, one raw I420 file per frame in {@code dir}.
     *
     * @param rtspsrcProperties more properties of rtspsrc, such as {@code tls-validation-flags=0} for rtsps://
     */
    public static ExternalTools.Peer gstDecoding(Path log, String url, String protocols, Path dir,
                                                 String... rtspsrcProperties) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q", "rtspsrc", "location=" + url,
                "protocols=" + protocols, "latency=100"));
        command.addAll(List.of(rtspsrcProperties));
        command.addAll(List.of("!", "rtpjpegdepay", "!", "jpegdec", "!", "videoconvert", "!", "video/x-raw,format=I420",
                "!", "multifilesink", "location=" + dir.resolve("frame-%05d.i420")));
        return ExternalTools.start(log, command.toArray(String[]::new));
    }

    /**
     * rtspsrc and rtpjpegdepay into a fakesink that logs one line per frame. Its jitter buffer waits 500 ms, so that
     * a viewer process the machine starves for a moment still counts every frame instead of dropping late ones.
     */
    public static ExternalTools.Peer gstCounting(Path log, String url, String protocols) {
        return ExternalTools.start(log, "gst-launch-1.0", "-v", "rtspsrc", "location=" + url, "protocols=" + protocols,
                "latency=500", "!", "rtpjpegdepay", "!", "fakesink", "silent=false");
    }

    /** Frames a counting viewer has received so far. */
    public static int framesReceived(ExternalTools.Peer peer) {
        String output = peer.output();
        Pattern pattern = output.contains("last-message") ? GST_FRAME : FFMPEG_FRAME;
        return (int) pattern.matcher(output).results().count();
    }

    /** Waits until a counting viewer has received its first frame; fails with its output if it does not in time. */
    public static void awaitFirstFrame(ExternalTools.Peer peer, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (framesReceived(peer) == 0) {
            if (!peer.isAlive() || System.nanoTime() > deadline) {
                fail("no frame received in " + timeout + ":\n" + peer.output());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits for {@code count} decoded frames of {@code frameSize} bytes in {@code dir}; fails with the viewer's
     * output if they do not come in time.
     */
    public static List<byte[]> awaitDecodedFrames(ExternalTools.Peer peer, Path dir, int count, int frameSize,
                                                  Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<byte[]> frames = decodedFrames(dir, frameSize);
            if (frames.size() >= count) {
                return frames.subList(0, count);
            }
            if (!peer.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        return fail("decoded " + decodedFrames(dir, frameSize).size() + " of " + count + " frames in " + timeout + ":\n"
                + peer.output());
    }

    private static List<byte[]> decodedFrames(Path dir, int frameSize) {
        try (Stream<Path> files = Files.list(dir)) {
            // multifilesink writes each frame under its final name: only whole-sized files are complete
            return files.filter(f -> f.getFileName().toString().matches("frame-\\d+\\.i420"))
                    .sorted()
                    .map(RtspViewers::readAll)
                    .filter(bytes -> bytes.length == frameSize)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
