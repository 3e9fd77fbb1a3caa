package dev.mjpegrtp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * GStreamer as the receiving peer: {@code udpsrc ! rtpjitterbuffer ! rtpjpegdepay ! jpegdec ! videoconvert ! I420 !
 * multifilesink}, one raw I420 file per decoded frame; for an SRTP stream ({@link #srtp}), {@code srtpdec} after
 * {@code udpsrc}, which also decrypts the SRTCP of port + 1 into {@link #rtcpFile()}.
 */
public final class GstRtpJpegReceiver implements AutoCloseable {

    private final Path dir;
    private final ExternalTools.Peer peer;

    public GstRtpJpegReceiver(Path dir, int port) throws IOException {
        this(dir, port, "");
    }

    /**
     * @param extraCaps appended to the RTP caps, e.g. {@code ,x-dimensions=(string)"3840,2160"}: what sdpdemux or
     *                  rtspsrc put there from the SDP's a=x-dimensions
     */
    public GstRtpJpegReceiver(Path dir, int port, String extraCaps) throws IOException {
        this(dir, List.of("udpsrc", "address=127.0.0.1", "port=" + port, "buffer-size=8388608",
                "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26" + extraCaps),
                List.of());
    }

    /**
     * The receiver of an SRTP stream (AES_CM_128_HMAC_SHA1_80) of SSRC {@code ssrc}: {@code srtpdec} takes the key
     * from the caps, as GStreamer's SDP and RTSP elements put it there. SRTCP goes through an {@code srtpdec} of its
     * own: one that gets keyed caps on both sink pads sets up its libsrtp session from each pad's streaming thread
     * without a lock (GStreamer 1.22), and crashed with SIGSEGV here when the two udpsrc started at once.
     *
     * @param keyAndSalt the 30 bytes of master key and salt
     */
    public static GstRtpJpegReceiver srtp(Path dir, int port, byte[] keyAndSalt, long ssrc) throws IOException {
        String keys = ",ssrc=(uint)" + ssrc + ",srtp-key=(buffer)" + HexFormat.of().formatHex(keyAndSalt)
                + ",srtp-cipher=aes-128-icm,srtp-auth=hmac-sha1-80,srtcp-cipher=aes-128-icm,srtcp-auth=hmac-sha1-80";
        return new GstRtpJpegReceiver(dir,
                List.of("srtpdec", "name=srtp", "udpsrc", "address=127.0.0.1", "port=" + port, "buffer-size=8388608",
                        "caps=application/x-srtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26" + keys,
                        "!", "srtp.rtp_sink", "srtp.rtp_src"),
                List.of("srtpdec", "name=srtcp", "udpsrc", "address=127.0.0.1", "port=" + (port + 1),
                        "caps=application/x-srtcp" + keys,
                        "!", "srtcp.rtcp_sink", "srtcp.rtcp_src", "!", "filesink", "buffer-mode=unbuffered",
                        "location=" + dir.resolve("rtcp.bin")));
    }

    /**
     * @param source    the elements up to the RTP caps, {@code rtpjitterbuffer} and the rest after them
     * @param branches further branches of the pipeline
     */
    private GstRtpJpegReceiver(Path dir, List<String> source, List<String> branches) throws IOException {
        this.dir = Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(source);
        command.addAll(List.of("!", "rtpjitterbuffer", "latency=100",
                "!", "rtpjpegdepay", "!", "jpegdec", "!", "videoconvert", "!", "video/x-raw,format=I420",
                "!", "multifilesink", "location=" + dir.resolve("frame-%05d.i420")));
        command.addAll(branches);
        this.peer = ExternalTools.start(dir.resolve("gst-receiver.log"), command.toArray(String[]::new));
    }

    /** Where an SRTP receiver writes the RTCP compound packets srtpdec authenticated and decrypted, back to back. */
    public Path rtcpFile() {
        return dir.resolve("rtcp.bin");
    }

    /**
     * Calls {@code sendOne} every 50 ms until {@code frames} whole frames of {@code frameSize} bytes were decoded;
     * sending until then covers the receiver's start-up without guessing how long it takes.
     */
    public List<byte[]> awaitFrames(int frames, int frameSize, Duration timeout, Runnable sendOne)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            sendOne.run();
            List<byte[]> decoded = completeFrames(frameSize);
            if (decoded.size() >= frames) {
                return decoded.subList(0, frames);
            }
            if (!peer.isAlive()) {
                fail("gst-launch-1.0 receiver exited:\n" + peer.output());
            }
            Thread.sleep(50);
        }
        return fail("gst-launch-1.0 decoded " + completeFrames(frameSize).size() + " of " + frames + " frames in "
                + timeout + ":\n" + peer.output());
    }

    /** Every frame of {@code frameSize} bytes decoded so far, in order. */
    public List<byte[]> frames(int frameSize) {
        return completeFrames(frameSize);
    }

    private List<byte[]> completeFrames(int frameSize) {
        try (Stream<Path> files = Files.list(dir)) {
            // multifilesink writes each frame under a temporary name and renames it when complete
            return files.filter(f -> f.getFileName().toString().matches("frame-\\d+\\.i420"))
                    .sorted()
                    .map(GstRtpJpegReceiver::readAll)
                    .filter(bytes -> bytes.length == frameSize)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String output() {
        return peer.output();
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
