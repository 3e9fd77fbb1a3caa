package dev.mjpegrtp.camel.rtsp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packets a UDP viewer is sent arrive as the datagrams they were written as, in order, byte for byte, whether the
 * sink sends them one by one or, where the kernel segments UDP, as runs of equal-sized packets: runs longer than one
 * send takes, runs cut short by a smaller packet, and a bigger packet after a run.
 */
class UdpRtpSinkTest {

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

    @Test
    void everyPacketArrivesWholeAndInOrder() throws Exception {
        int[] sizes = new int[150];
        Arrays.fill(sizes, 1400); // more than one segmented send takes
        sizes[70] = 900; // ends a run early
        sizes[71] = 1400;
        sizes[100] = 1500; // bigger than the run before it
        sizes[101] = 60;
        sizes[149] = 333; // a frame's short last packet
        List<byte[]> sent = new ArrayList<>();
        UdpRtpSink sink = new UdpRtpSink(channel, channel, (InetSocketAddress) receiver.getLocalSocketAddress(),
                (InetSocketAddress) receiver.getLocalSocketAddress());
        channel.eventLoop().submit(() -> {
            for (int i = 0; i < sizes.length; i++) {
                byte[] packet = new byte[sizes[i]];
                for (int j = 0; j < packet.length; j++) {
                    packet[j] = (byte) (i * 31 + j);
                }
                sent.add(packet);
                sink.writePacket(Unpooled.directBuffer(12).writeBytes(packet, 0, 12),
                        Unpooled.directBuffer(packet.length - 12).writeBytes(packet, 12, packet.length - 12));
                if (i == 120) {
                    sink.flush(); // a frame boundary in the middle of a run
                }
            }
            sink.flush();
        }).sync();
        byte[] buffer = new byte[2048];
        for (int i = 0; i < sizes.length; i++) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            receiver.receive(datagram);
            assertThat(Arrays.copyOf(buffer, datagram.getLength())).as("datagram " + i).isEqualTo(sent.get(i));
        }
    }
}
