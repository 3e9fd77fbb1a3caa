package dev.mjpegrtp.camel.rtsp;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;

/**
 * A UDP viewer: datagrams from the server's shared RTP socket to the client's RTP port, RTCP from the shared RTCP
 * socket to its RTCP port. Each datagram is the viewer's header and the frame's shared payload slice side by side
 * (a composite buffer), so no payload byte is copied per viewer; epoll sends them as an iovec.
 */
final class UdpRtpSink implements RtpSink {

    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;

    /** Both channels must be registered on the same event loop. */
    UdpRtpSink(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpDestination = rtpDestination;
        this.rtcpDestination = rtcpDestination;
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
        CompositeByteBuf datagram = rtp.alloc().compositeDirectBuffer(2).addComponents(true, header, payload);
        rtp.write(new DatagramPacket(datagram, rtpDestination), rtp.voidPromise());
    }

    @Override
    public void flush() {
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
