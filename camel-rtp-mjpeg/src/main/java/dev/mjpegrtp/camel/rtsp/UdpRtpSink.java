package dev.mjpegrtp.camel.rtsp;

import java.net.InetSocketAddress;

import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP viewer: datagrams from the server's shared RTP socket to the client's RTP port, RTCP from the shared RTCP
 * socket to its RTCP port. Each datagram is the viewer's header and the frame's shared payload slice side by side
 * (a composite buffer), so no payload byte is copied per viewer; epoll sends them as an iovec.
 *
 * <p>Where the kernel segments UDP itself (UDP_SEGMENT, Linux 4.18 and later, with epoll), a run of equal-sized
 * packets goes down as one segmented datagram: the kernel cuts it every segment size bytes, so each cut is one RTP
 * packet, header and payload. One send instead of up to 64 is what makes many viewers cheap: per-packet system and
 * Netty costs were most of the server's CPU. Devices that cannot offload the checksum refuse segmented sends (EIO);
 * a viewer whose segmented send is refused so goes back to a datagram per packet for good.
 */
final class UdpRtpSink implements RtpSink {

    private static final Logger LOG = LoggerFactory.getLogger(UdpRtpSink.class);

    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;
    private final ChannelFutureListener segmentedSendFailed = this::segmentedSendFailed;

    /** Written on the event loop only, like everything below it. */
    private boolean segmenting;
    /** Packets waiting to go as one segmented datagram, all {@link #segmentSize} long but the last. */
    private CompositeByteBuf run;
    private int runPackets;
    private int segmentSize;

    /** Both channels must be registered on the same event loop. */
    UdpRtpSink(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpDestination = rtpDestination;
        this.rtcpDestination = rtcpDestination;
        this.segmenting = NettyTransport.supportsSegmentation(rtp);
    }

    @Override
    public EventLoop eventLoop() {
        return rtp.eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return rtp.alloc();
    }

    @Override
    public int headerRoom() {
        return 0;
    }

    @Override
    public boolean isWritable() {
        return rtp.isWritable();
    }

    @Override
    public boolean dropsWhenFull() {
        return true;
    }

    @Override
    public void writePacket(ByteBuf header, ByteBuf payload) {
        int size = header.readableBytes() + payload.readableBytes();
        if (!segmenting) {
            CompositeByteBuf datagram = rtp.alloc().compositeDirectBuffer(2).addComponents(true, header, payload);
            rtp.write(new DatagramPacket(datagram, rtpDestination), rtp.voidPromise());
            return;
        }
        if (run != null && (size > segmentSize || runPackets == maxRunPackets())) {
            writeRun();
        }
        if (run == null) {
            run = rtp.alloc().compositeDirectBuffer(2 * NettyTransport.MAX_SEGMENTS);
            segmentSize = size;
        }
        run.addComponents(true, header, payload);
        runPackets++;
        if (size < segmentSize) {
            writeRun(); // a shorter segment can only be the last of a run
        }
    }

    private int maxRunPackets() {
        return Math.min(NettyTransport.MAX_SEGMENTS, NettyTransport.MAX_DATAGRAM_PAYLOAD / segmentSize);
    }

    private void writeRun() {
        CompositeByteBuf datagram = run;
        int packets = runPackets;
        run = null;
        runPackets = 0;
        if (packets == 1) {
            rtp.write(new DatagramPacket(datagram, rtpDestination), rtp.voidPromise());
        } else {
            rtp.write(new SegmentedDatagramPacket(datagram, segmentSize, rtpDestination))
                    .addListener(segmentedSendFailed);
        }
    }

    private void segmentedSendFailed(ChannelFuture future) {
        if (!future.isSuccess() && segmenting && rtp.isOpen() && NettyTransport.refusedSegmentation(future.cause())) {
            segmenting = false;
            LOG.info("Segmented UDP send to {} failed ({}); sending it a datagram per packet from now on",
                    rtpDestination, future.cause().toString());
        }
    }

    @Override
    public void flush() {
        if (run != null) {
            writeRun();
        }
        rtp.flush();
    }

    @Override
    public void writeRtcp(ByteBuf compound) {
        if (!rtcp.isWritable()) {
            compound.release();
            return;
        }
        rtcp.writeAndFlush(new DatagramPacket(compound, rtcpDestination), rtcp.voidPromise());
    }

    @Override
    public String describe() {
        return "UDP to " + rtpDestination.getAddress().getHostAddress() + ":" + rtpDestination.getPort() + "-"
                + rtcpDestination.getPort();
    }
}
