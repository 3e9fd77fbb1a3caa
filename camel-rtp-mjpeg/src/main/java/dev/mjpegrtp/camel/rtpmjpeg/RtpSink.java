package dev.mjpegrtp.camel.rtpmjpeg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * Where one destination's packets go: UDP datagrams to its address ({@link UdpRtpSink}), or interleaved frames on a
 * TCP connection ({@link InterleavedRtpSink}). Written to by its {@link RtpStreamSender} on {@link #eventLoop()}, or,
 * for a UDP destination whose packets go down from the caller ({@link DirectDatagramWriter}), on the thread that sends
 * the frame.
 */
public interface RtpSink {

    /** The thread RTCP, paced packets and, but for a {@link DirectDatagramWriter}, every write happen on. */
    EventLoop eventLoop();

    ByteBufAllocator alloc();

    /** Bytes of the transport's own framing before each RTP header: 0 for datagrams. */
    int framingLength();

    /** Whether the socket takes more now; when it does not, a frame has to wait or be dropped. */
    boolean isWritable();

    /**
     * Whether a frame that finds the socket full is dropped at once rather than kept for later: UDP destinations may
     * share one socket, so one waiting would make all of them wait.
     */
    boolean dropsWhenFull();

    /**
     * Queues packets [from, to) of {@code frame}, without flushing.
     *
     * @param headers their RTP headers, each behind {@link #framingLength()} free bytes, one every framing + 12 bytes
     *                from index 0, when the frame is shared; null when the frame is this destination's alone and holds
     *                them (see {@link PacketizedFrame#forOneDestination}). The sink owns it from here on.
     */
    void writePackets(PacketizedFrame frame, int from, int to, ByteBuf headers);

    /** Sends what {@link #writePackets} queued. */
    void flush();

    /**
     * Sends one compound RTCP packet, which the sink owns from here on, unless the socket is full.
     *
     * @return whether it was handed to the socket
     */
    boolean writeRtcp(ByteBuf compound);

    /** Says where the packets go, for logs and metrics. */
    String describe();
}
