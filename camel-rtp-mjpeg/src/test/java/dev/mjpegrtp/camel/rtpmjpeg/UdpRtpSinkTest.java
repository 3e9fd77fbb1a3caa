package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send core's packets to a UDP destination arrive as the RTP packets the codec describes, in order, byte for byte,
 * whether the frame holds the destination's headers or is shared, and whether the sink sends them one by one or,
 * where the kernel segments UDP, as runs of equal-sized packets, on the event loop or from the caller's thread: runs
 * longer than one send takes, runs cut short by a smaller packet (restart-aligned packets differ in size), a bigger
 * packet after a run (a frame of a larger MTU after a smaller one), and a first packet with a header extension.
 */
class UdpRtpSinkTest {

    private static final int SSRC = 0x5EED_CAFE;
    private static final int FIRST_SEQUENCE = 0xFFC0; // wraps within the frames sent

    private EventLoopGroup group;
    private Channel channel;
    private DatagramSocket receiver;

    @BeforeEach
    void open() throws Exception {
        group = NettyTransport.newEventLoopGroup(1, "udp-sink-test");
        channel = new Bootstrap().group(group).channel(NettyTransport.datagramChannelClass())
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver.setReceiveBufferSize(8 * 1024 * 1024);
        receiver.setSoTimeout(5000);
    }

    @AfterEach
    void close() throws Exception {
        receiver.close();
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void theKernelSegmentsUdpHere() {
        // Linux with epoll: what production runs on, so that the tests below exercise the segmented path
        assertThat(NettyTransport.supportsSegmentation(channel)).isTrue();
    }

    @ParameterizedTest(name = "segmentation {0}, frames shared {1}")
    @ValueSource(strings = {"true,true", "true,false", "false,true", "false,false", "fromCaller,true", "fromCaller,false"})
    void everyPacketArrivesWholeAndInOrder(String mode) throws Exception {
        boolean fromCaller = mode.startsWith("fromCaller"); // segmented sends from this thread, straight to the socket
        boolean segmentation = !mode.startsWith("false");
        boolean shared = mode.endsWith("true");
        JpegParser parser = new JpegParser();
        List<Rfc2435Frame> frames = List.of(
                new Rfc2435Frame(parser.parse(JavaJpegs.baseline(1280, 720)), 600), // more than one send takes
                new Rfc2435Frame(parser.parse(JavaJpegs.withRestartMarkers(640, 480, 4)), 1400, true),
                new Rfc2435Frame(parser.parse(JavaJpegs.baseline(1280, 720)), 1400));
        InetSocketAddress destination = (InetSocketAddress) receiver.getLocalSocketAddress();
        UdpRtpSink sink = fromCaller
                ? new UdpRtpSink(channel, channel, destination, destination,
                        new DirectDatagramWriter((EpollDatagramChannel) channel, destination))
                : new UdpRtpSink(channel, channel, destination, destination, segmentation);
        RtpStreamSender sender = new RtpStreamSender(sink, RtpHeader.PAYLOAD_TYPE_JPEG, SSRC, FIRST_SEQUENCE, "test", 0);
        List<byte[]> expected = new ArrayList<>();
        Runnable send = () -> {
            for (int f = 0; f < frames.size(); f++) {
                Rfc2435Frame frame = frames.get(f);
                PacketizedFrame packets = shared ? PacketizedFrame.shared(frame, f, ByteBufAllocator.DEFAULT)
                        : PacketizedFrame.forOneDestination(frame, f, sink);
                try {
                    sender.send(packets, 1000 + f, null);
                } finally {
                    packets.release();
                }
                for (int i = 0; i < frame.packetCount(); i++) {
                    expected.add(packet(frame, i, FIRST_SEQUENCE + expected.size(), 1000 + f));
                }
            }
        };
        if (fromCaller) {
            send.run();
        } else {
            channel.eventLoop().submit(send).sync();
        }
        byte[] buffer = new byte[2048];
        for (int i = 0; i < expected.size(); i++) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            receiver.receive(datagram);
            assertThat(Arrays.copyOf(buffer, datagram.getLength())).as("datagram " + i).isEqualTo(expected.get(i));
        }
        assertThat(expected).as("runs of more than one segmented send").hasSizeGreaterThan(NettyTransport.MAX_SEGMENTS);
        assertThat(sender.packetsSent()).isEqualTo(expected.size());
        assertThat(sender.bytesSent()).isEqualTo(expected.stream().mapToLong(packet -> packet.length).sum());
    }

    /** RTP packet {@code index} of a frame as the codec describes it. */
    private static byte[] packet(Rfc2435Frame frame, int index, int sequenceNumber, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(frame.packetLength(index));
        RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, index == frame.packetCount() - 1, sequenceNumber,
                timestamp, SSRC, frame.headerExtensionLength(index) > 0);
        frame.writeHeaderExtension(index, packet);
        frame.writePayload(index, packet);
        return packet.array();
    }
}
