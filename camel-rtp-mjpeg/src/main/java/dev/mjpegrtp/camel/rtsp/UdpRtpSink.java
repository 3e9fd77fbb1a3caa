package dev.mjpegrtp.camel.rtsp;

import java.net.InetSocketAddress;

import dev.mjpegrtp.camel.rtpmjpeg.DatagramRunWriter;
import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;

/**
 * A UDP viewer: datagrams from the server's shared RTP socket to the client's RTP port, RTCP from the shared RTCP
 * socket to its RTCP port. Each packet is the viewer's header and the frame's shared payload slice side by side
 * (a composite buffer), so no payload byte is copied per viewer; epoll sends them as an iovec. Packets go out in the
 * runs of a {@link DatagramRunWriter}: one segmented datagram a run of equal-sized packets where the kernel segments
 * UDP, which is what makes many viewers cheap.
 */
final class UdpRtpSink implements RtpSink {

    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;
    private final DatagramRunWriter datagrams;

    /** Packets waiting to go as one run, all {@link #segmentSize} long but the last; on the event loop only. */
    private CompositeByteBuf run;
    private int runPackets;
    private int maxRunPackets;
    private int segmentSize;

    /** Both channels must be registered on the same event loop. */
    UdpRtpSink(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpDestination = rtpDestination;
        this.rtcpDestination = rtcpDestination;
        this.datagrams = new DatagramRunWriter(rtp, rtpDestination, NettyTransport.supportsSegmentation(rtp));
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
        if (run != null && size > segmentSize) {
            writeRun();
        }
        if (run == null) {
            segmentSize = size;
            maxRunPackets = datagrams.maxRunPackets(size);
            run = rtp.alloc().compositeDirectBuffer(2 * maxRunPackets);
        }
        run.addComponents(true, header, payload);
        runPackets++;
        if (size < segmentSize || runPackets == maxRunPackets) {
            writeRun(); // a shorter packet can only be the last of a run
        }
    }

    private void writeRun() {
        datagrams.write(run, runPackets, segmentSize);
        run = null;
        runPackets = 0;
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
