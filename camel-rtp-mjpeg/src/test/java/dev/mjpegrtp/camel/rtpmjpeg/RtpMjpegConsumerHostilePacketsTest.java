package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile datagrams on the consumer's port between the frames of a good stream: wrong version, short headers, CSRC
 * and extension lengths past the end, other payload types and SSRCs, fragment offsets beyond the frame limit, reserved
 * Q values, types RFC 2435 does not define, a flood of frames that never complete, duplicates. The consumer rejects
 * and counts them, emits only the good frames, whole, and keeps receiving.
 */
class RtpMjpegConsumerHostilePacketsTest extends CamelTestSupport {

    private static final int SSRC = 0x5EED;
    private static final int GOOD_FRAMES = 10;
    /** Sequence numbers the hostile packets of one round take from the stream. */
    private static final int HOSTILE_SEQUENCE_NUMBERS = 9;

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Room for every good frame: a cold route's first exchanges on a busy machine take longer than the
                // 5 ms between frames, and the drop-when-behind policy is not what this test checks.
                from("rtp-mjpeg:127.0.0.1:" + port + "?maxFrameSize=200000&maxPendingFrames=" + (GOOD_FRAMES + 1))
                        .routeId("receive").to("mock:frames");
            }
        };
    }

    @Test
    void onlyWholeGoodFramesComeOut() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(320, 240);
        JpegFrame parsed = new JpegParser().parse(jpeg);
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 1000);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(GOOD_FRAMES);

        int sequence = 0;
        Random random = new Random(8);
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress consumer = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int f = 0; f < GOOD_FRAMES; f++) {
                // the good stream's first packet locks the consumer onto its SSRC
                for (int i = 0; i < frame.packetCount(); i++) {
                    send(socket, consumer, goodPacket(frame, i, sequence++, f * 3000));
                    send(socket, consumer, goodPacket(frame, i, sequence - 1, f * 3000)); // duplicate
                }
                // between two frames, in the stream's own sequence: what a forger who sniffed the SSRC can send
                for (byte[] hostile : hostile(random, sequence, f)) {
                    send(socket, consumer, hostile);
                }
                sequence += HOSTILE_SEQUENCE_NUMBERS;
                // and a stray from far away in the sequence space
                send(socket, consumer, rtp(0x80, 26, sequence + 20_000, SSRC, jpegHeader(0, 1, 85, 40, 30)));
                Thread.sleep(5); // a camera's pace, so that the test measures the consumer, not the socket buffer
            }
            // frames that never complete, each under its own timestamp, from the locked SSRC
            for (int t = 0; t < 500; t++) {
                send(socket, consumer, goodPacket(frame, 0, sequence++, 1_000_000 + t));
                if (t % 50 == 49) {
                    Thread.sleep(5);
                }
            }
            // and then good frames again
            for (int i = 0; i < frame.packetCount(); i++) {
                send(socket, consumer, goodPacket(frame, i, sequence++, 2_000_000));
            }
        }
        frames.expectedMessageCount(GOOD_FRAMES + 1);
        RtpMjpegConsumer consumer = (RtpMjpegConsumer) context.getRoute("receive").getConsumer();
        try {
            frames.assertIsSatisfied(10_000);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the consumer counted " + consumer.getFramesReceived()
                    + " frames received, " + consumer.getFramesLost() + " lost, " + consumer.getPacketsRejected()
                    + " packets rejected", e);
        }

        for (Exchange exchange : frames.getReceivedExchanges()) {
            byte[] received = exchange.getIn().getBody(byte[].class);
            JpegFrame rebuilt = new JpegParser().parse(received);
            assertThat(ByteBuffer.wrap(received, rebuilt.scanOffset(), rebuilt.scanLength()))
                    .isEqualTo(ByteBuffer.wrap(jpeg, parsed.scanOffset(), parsed.scanLength()));
        }
        assertThat(consumer.getPacketsRejected()).as("hostile packets counted").isGreaterThanOrEqualTo(GOOD_FRAMES * 9L);
        assertThat(consumer.getFramesLost()).as("the 500 frames that never completed").isGreaterThanOrEqualTo(500);
    }

    private static byte[] goodPacket(Rfc2435Frame frame, int index, int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(index));
        RtpHeader.write(packet, 26, index == frame.packetCount() - 1, sequence, timestamp, SSRC);
        frame.writePayload(index, packet);
        return packet.array();
    }

    /** One of each kind of hostile datagram, under a sequence range of its own. */
    private static List<byte[]> hostile(Random random, int sequence, int round) {
        List<byte[]> packets = new ArrayList<>();
        packets.add(new byte[] {(byte) 0x40, 26, 0, 1}); // RTP version 1, and short
        packets.add(new byte[5]); // shorter than an RTP header
        packets.add(rtp(0x8F, 26, sequence++, SSRC, new byte[4])); // 15 CSRCs announced, none there
        byte[] extension = rtp(0x90, 26, sequence++, SSRC, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF});
        packets.add(extension); // header extension of 65535 words
        packets.add(rtp(0x80, 96, sequence++, SSRC, jpegHeader(0, 1, 85, 40, 30))); // another payload type
        packets.add(rtp(0x80, 26, sequence++, SSRC + 1, jpegHeader(0, 1, 85, 40, 30))); // another SSRC
        packets.add(rtp(0x80, 26, sequence++, SSRC, jpegHeader(0xFFFFF0, 1, 85, 40, 30))); // offset past the limit
        packets.add(rtp(0x80, 26, sequence++, SSRC, jpegHeader(0, 1, 110, 40, 30))); // reserved Q
        packets.add(rtp(0x80, 26, sequence++, SSRC, jpegHeader(0, 7, 85, 40, 30))); // undefined type
        packets.add(rtp(0x80, 26, sequence++, SSRC, jpegHeader(0, 1, 200, 40, 30))); // Q 200, no tables cached
        packets.add(rtp(0x80, 26, sequence, SSRC, jpegHeader(0, 1, 85, 0, 0))); // 0x0 without x-dimensions
        byte[] noise = new byte[200 + round];
        random.nextBytes(noise);
        packets.add(noise);
        return packets;
    }

    private static byte[] rtp(int first, int payloadType, int sequence, int ssrc, byte[] payload) {
        ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + payload.length);
        packet.put((byte) first).put((byte) payloadType).putShort((short) sequence).putInt(sequence * 10).putInt(ssrc);
        packet.put(payload);
        return packet.array();
    }

    private static byte[] jpegHeader(int offset, int type, int q, int width8, int height8) {
        return new byte[] {0, (byte) (offset >> 16), (byte) (offset >> 8), (byte) offset, (byte) type, (byte) q,
                           (byte) width8, (byte) height8, 1, 2, 3, 4};
    }

    private static void send(DatagramSocket socket, InetSocketAddress target, byte[] data) throws java.io.IOException {
        socket.send(new DatagramPacket(data, data.length, target));
    }
}
