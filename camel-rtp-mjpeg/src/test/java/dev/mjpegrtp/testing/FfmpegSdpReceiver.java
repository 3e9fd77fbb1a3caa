package dev.mjpegrtp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FFmpeg as the receiving peer, opening the SDP file a producer writes ({@code ffmpeg -i stream.sdp}) as ffplay and
 * VLC users do, and writing the decoded frames as raw I420. An SDP with {@code a=crypto} (RFC 4568) opens an SRTP
 * stream through FFmpeg's srtp protocol, which the protocol whitelist allows.
 */
public final class FfmpegSdpReceiver {

    private FfmpegSdpReceiver() {
    }

    /**
     * Calls {@code sendOne} every 40 ms, a live source's pace, until FFmpeg has decoded {@code frames} frames of
     * {@code frameSize} bytes from {@code sdp}, and returns them; fails when it has not within 30 s.
     */
    public static List<byte[]> decode(Path sdp, Path dir, int frames, int frameSize, Runnable sendOne)
            throws IOException, InterruptedException {
        Path out = dir.resolve("ffmpeg-received.yuv");
        try (ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error", "-y",
                "-protocol_whitelist", "file,udp,rtp,srtp", "-i", sdp.toString(), "-frames:v", String.valueOf(frames),
                "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ffmpeg.isAlive() && System.nanoTime() < deadline) {
                sendOne.run();
                Thread.sleep(40);
            }
            if (ffmpeg.isAlive()) {
                fail("ffmpeg did not decode " + frames + " frames in 30 s:\n" + ffmpeg.output());
            }
            ffmpeg.awaitExit(Duration.ofSeconds(5));
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).as("the I420 bytes of " + frames + " frames").hasSize(frames * frameSize);
        List<byte[]> decoded = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            decoded.add(Arrays.copyOfRange(received, i * frameSize, (i + 1) * frameSize));
        }
        return decoded;
    }
}
