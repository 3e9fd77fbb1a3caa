package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For comparison, not for CI: the hostile mix of {@link RtpMjpegConsumerHostileMixTest} sent to GStreamer's
 * {@code rtpjitterbuffer ! rtpjpegdepay ! jpegdec}, counting the decoded frames that are one of the pictures sent
 * and those that are not. GStreamer's output carries no RTP timestamp, so a frame counts as whole when it is any of
 * the pictures. A measurement that prints its figures and asserts nothing, so the build leaves it out (*ManualTest)
 * and it runs only by name: {@code mvn -pl camel-rtp-mjpeg -am test -Dtest=RtpMjpegHostileMixGstreamerManualTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. The caps name no SSRC and there is no {@code rtpssrcdemux}, as in the
 * usual {@code udpsrc} pipelines, so the rival SSRC's packets and the copies under random timestamps reach the jitter
 * buffer.
 */
class RtpMjpegHostileMixGstreamerManualTest {

    private static final int I420_SIZE = 320 * 240 * 3 / 2;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hostile packets take the next sequence number: {0}")
    @ValueSource(booleans = {false, true})
    void measure(boolean nextSequenceNumber) throws Exception {
        List<byte[]> pictures = TestImages.gstJpegSequence(dir, "ball", 320, 240, RtpMjpegConsumerHostileMixTest.PICTURES);
        List<Rfc2435Frame> frames = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < pictures.size(); i++) {
            frames.add(new Rfc2435Frame(new JpegParser().parse(pictures.get(i)), 1400));
            Path file = Files.write(dir.resolve("picture-" + i + ".jpg"), pictures.get(i));
            expected.add(TestImages.gstDecodeI420(file));
        }
        Random random = new Random(nextSequenceNumber ? 17 : 16);
        int firstTimestamp = random.nextInt();
        int[] sequence = {random.nextInt(0x10000)};
        int port = LocalPorts.freeRtpPort();
        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("out"), port);
             DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            int[] warmUp = {-300};
            receiver.awaitFrames(5, I420_SIZE, Duration.ofSeconds(20), () -> {
                Rfc2435Frame frame = frames.get(0);
                for (int i = 0; i < frame.packetCount(); i++) {
                    ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(i));
                    RtpHeader.write(packet, 26, i == frame.packetCount() - 1, sequence[0]++, firstTimestamp
                            + warmUp[0] * 3000, 0x5EED_CAFE);
                    frame.writePayload(i, packet);
                    try {
                        RtpMjpegConsumerHostileMixTest.send(socket, target, packet.array());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                warmUp[0]++;
            });
            Thread.sleep(500);
            int before = receiver.frames(I420_SIZE).size();
            RtpMjpegConsumerHostileMixTest.sendMixed(socket, target, frames, random, sequence[0] & 0xFFFF,
                    firstTimestamp, nextSequenceNumber);
            Thread.sleep(2000);
            List<byte[]> decoded = receiver.frames(I420_SIZE);
            int whole = 0;
            int other = 0;
            for (byte[] frame : decoded.subList(before, decoded.size())) {
                if (expected.stream().anyMatch(picture -> Arrays.equals(picture, frame))) {
                    whole++;
                } else {
                    other++;
                }
            }
            System.out.printf("GStreamer, %s sequence numbers: %d of %d frames whole (%d %%), %d other%n",
                    nextSequenceNumber ? "next" : "random", whole, RtpMjpegConsumerHostileMixTest.FRAMES,
                    whole * 100 / RtpMjpegConsumerHostileMixTest.FRAMES, other);
        }
    }
}
