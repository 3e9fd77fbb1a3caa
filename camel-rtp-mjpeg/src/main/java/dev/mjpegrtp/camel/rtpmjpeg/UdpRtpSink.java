package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;

/**
 * A UDP destination: RTP datagrams from an RTP socket to its RTP port, RTCP from an RTCP socket (maybe the same) to its
 * RTCP port. Packets go out in the runs of a {@link DatagramWriter}, on the event loop or from the caller: one
 * segmented datagram a run of equal-sized packets where the kernel segments UDP. A run of a frame for this destination alone is a slice of the frame, headers
 * in place; a run of a shared frame puts this destination's headers and the frame's shared bodies side by side (a
 * composite buffer), so no body byte is copied per destination; epoll sends them as an iovec.
 */
public final class UdpRtpSink implements RtpSink {

    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpDestination;
    private final InetSocketAddress rtcpDestination;
    private final DatagramWriter datagrams;

    /**
     * RTP packets written on the event loop. Both channels must be registered on the same event loop.
     *
     * @param segmentation whether runs may be sent as segmented datagrams; see {@link NettyTransport#supportsSegmentation}
     */
    public UdpRtpSink(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination,
                      boolean segmentation) {
        this(rtp, rtcp, rtpDestination, rtcpDestination, new DatagramRunWriter(rtp, rtpDestination, segmentation));
    }

    /** @param datagrams how RTP packets go to {@code rtp}'s socket, e.g. at once from the caller ({@link DirectDatagramWriter}) */
    public UdpRtpSink(Channel rtp, Channel rtcp, InetSocketAddress rtpDestination, InetSocketAddress rtcpDestination,
                      DatagramWriter datagrams) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpDestination = rtpDestination;
        this.rtcpDestination = rtcpDestination;
        this.datagrams = datagrams;
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
    public int framingLength() {
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
    public void writePackets(PacketizedFrame frame, int from, int to, ByteBuf headers) {
        try {
            boolean segmentedSent = false;
            for (int first = from; first < to; ) {
                int segmentSize = frame.packetLength(first);
                int end = runEnd(frame, first, to, segmentSize);
                ByteBuf run = headers == null ? frame.retainedPackets(first, end)
                        : gather(frame, first, end, headers, from);
                datagrams.write(run, end - first, segmentSize, !segmentedSent);
                segmentedSent |= end - first > 1;
                first = end;
            }
        } finally {
            if (headers != null) {
                headers.release();
            }
        }
    }

    /**
     * The end (exclusive) of the run of packets from {@code first} that one datagram write carries: all
     * {@code segmentSize} long but possibly a shorter last one, as a segmented send requires.
     */
    private int runEnd(PacketizedFrame frame, int first, int to, int segmentSize) {
        int maxEnd = first + datagrams.maxRunPackets(segmentSize);
        int end = first + 1;
        while (end < to && end < maxEnd) {
            int next = frame.packetLength(end);
            if (next > segmentSize) {
                break;
            }
            end++;
            if (next < segmentSize) {
                break;
            }
        }
        return end;
    }

    /** Packets [first, end) of a shared frame, each header of {@code headers} (which start at packet {@code from}) beside its body. */
    private CompositeByteBuf gather(PacketizedFrame frame, int first, int end, ByteBuf headers, int from) {
        CompositeByteBuf run = rtp.alloc().compositeDirectBuffer(2 * (end - first));
        for (int i = first; i < end; i++) {
            run.addComponents(true, headers.retainedSlice((i - from) * RtpHeader.LENGTH, RtpHeader.LENGTH),
                    frame.retainedBody(i));
        }
        return run;
    }

    @Override
    public void flush() {
        datagrams.flush();
    }

    @Override
    public boolean writeRtcp(ByteBuf compound) {
        if (!rtcp.isWritable()) {
            compound.release();
            return false;
        }
        rtcp.writeAndFlush(new DatagramPacket(compound, rtcpDestination), rtcp.voidPromise());
        return true;
    }

    @Override
    public String describe() {
        return "UDP to " + rtpDestination.getAddress().getHostAddress() + ":" + rtpDestination.getPort() + "-"
                + rtcpDestination.getPort();
    }
}
