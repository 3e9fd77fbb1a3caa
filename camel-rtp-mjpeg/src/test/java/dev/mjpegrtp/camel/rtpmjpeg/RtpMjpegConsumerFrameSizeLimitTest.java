package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.OnvifJpegExtension;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "80 bytes become an 8 MB frame": two small datagrams of a restart-aligned frame, the first claiming a huge size in
 * the ONVIF JPEG header extension, the second the marker after a gap, used to make the consumer fill the frame with
 * gray. Beyond maxWidth x maxHeight the first is rejected; within them, the gray would be nearly all of the frame, so
 * the frame is dropped. Either way nothing comes out of them, 25 pairs a second, while a legitimate 320x240 stream from
 * the same address and SSRC keeps coming out whole.
 */
class RtpMjpegConsumerFrameSizeLimitTest extends CamelTestSupport {

    private static final int SSRC = 0x0BAD_F00D;
    private static final int FRAMES = 60;

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive").to("mock:frames");
            }
        };
    }

    @ParameterizedTest(name = "claimed {0}x{1}")
    @CsvSource({"65535, 65535", "4096, 4096"})
    void twoSmallDatagramsMakeNoFrameAndTheStreamFlows(int claimedWidth, int claimedHeight) throws Exception {
        byte[] source = JavaJpegs.baseline(320, 240);
        Rfc2435Frame frame = new Rfc2435Frame(new JpegParser().parse(source), 1400);
        int[] expected = JavaJpegs.decode(source);
        Random random = new Random(claimedWidth);
        int firstTimestamp = random.nextInt();
        int sequence = 0;
        int pairs = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress consumer = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            sequence = RtpMjpegConsumerHostileMixTest.warmUp(getMockEndpoint("mock:frames"), socket, consumer, frame,
                    SSRC, sequence, firstTimestamp);
            long start = System.nanoTime();
            for (int f = 0; f < FRAMES; f++) {
                for (int i = 0; i < frame.packetCount(); i++) {
                    ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(i));
                    RtpHeader.write(packet, 26, i == frame.packetCount() - 1, sequence++, firstTimestamp + f * 3000,
                            SSRC);
                    frame.writePayload(i, packet);
                    RtpMjpegConsumerHostileMixTest.send(socket, consumer, packet.array());
                }
                if (f % 6 != 5) { // 25 pairs a second at 30 frames a second
                    int timestamp = random.nextInt();
                    RtpMjpegConsumerHostileMixTest.send(socket, consumer, claimingPacket(sequence++, timestamp, claimedWidth, claimedHeight));
                    RtpMjpegConsumerHostileMixTest.send(socket, consumer, markerAfterAGap(sequence++, timestamp));
                    pairs++;
                }
                long wait = start + (f + 1) * 1_000_000_000L / 30 - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }

        MockEndpoint mock = getMockEndpoint("mock:frames");
        RtpMjpegConsumerHostileMixTest.awaitQuiet(mock);
        Set<Integer> clean = new HashSet<>();
        for (Exchange exchange : mock.getReceivedExchanges()) {
            byte[] jpeg = exchange.getIn().getBody(byte[].class);
            int timestamp = exchange.getIn().getHeader(RtpMjpegConstants.RTP_TIMESTAMP, Integer.class);
            assertThat(jpeg.length).as("a frame of the legitimate stream's size").isLessThan(source.length + 1024);
            assertThat(Integer.remainderUnsigned(timestamp - firstTimestamp, 3000)).as("a frame sent").isZero();
            assertThat(JavaJpegs.decode(jpeg)).as("the picture sent").isEqualTo(expected);
            clean.add(Integer.divideUnsigned(timestamp - firstTimestamp, 3000));
        }
        RtpMjpegConsumer receiver = (RtpMjpegConsumer) context.getRoute("receive").getConsumer();
        System.out.printf("claimed %dx%d: %d of %d frames clean, %d pairs, %d packets rejected, %d frames lost%n",
                claimedWidth, claimedHeight, clean.size(), FRAMES, pairs, receiver.getPacketsRejected(),
                receiver.getFramesLost());
        assertThat(clean).as("the legitimate frames").hasSizeGreaterThanOrEqualTo(FRAMES * 95 / 100);
        if (claimedWidth > 4096) {
            assertThat(receiver.getPacketsRejected()).as("claims over maxWidth x maxHeight").isGreaterThanOrEqualTo(pairs);
        } else {
            assertThat(receiver.getFramesLost()).as("frames nearly all gray, dropped").isGreaterThanOrEqualTo(pairs - 4);
        }
    }

    /**
     * 52 bytes: an RTP header with the ONVIF extension claiming the size, and the first restart interval's start of a
     * type 65 frame whose RFC 2435 header says 0 x 0 (over 2040 pixels).
     */
    private static byte[] claimingPacket(int sequence, int timestamp, int width, int height) {
        ByteBuffer packet = ByteBuffer.allocate(52);
        RtpHeader.write(packet, 26, false, sequence, timestamp, SSRC, true);
        packet.putShort((short) OnvifJpegExtension.INITIAL_PROFILE).putShort((short) 5);
        packet.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8).putShort((short) height)
                .putShort((short) width).put((byte) 3).put(new byte[] {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1})
                .put((byte) 0xFF);
        packet.put(new byte[] {0, 0, 0, 0, 65, 50, 0, 0}); // offset 0, type 65, Q 50, 0 x 0
        packet.putShort((short) 1).putShort((short) (0xC000)); // interval 1; F, L, count 0
        packet.put(new byte[] {0x12, 0x34, (byte) 0xFF, (byte) 0xD0});
        return packet.array();
    }

    /** 28 bytes: the marker packet, far into the frame, holding the last interval. */
    private static byte[] markerAfterAGap(int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(28);
        RtpHeader.write(packet, 26, true, sequence, timestamp, SSRC);
        packet.put(new byte[] {0, 0, 0x10, 0, 65, 50, 0, 0}); // offset 4096
        packet.putShort((short) 1).putShort((short) 0xFFFE); // F, L, the last restart count there is
        packet.put(new byte[] {0x56, 0x78, (byte) 0xFF, (byte) 0xD9});
        return packet.array();
    }
}
