package dev.mjpegrtp.camel.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/** Where one viewer's packets go: UDP datagrams to its ports, or interleaved frames on its RTSP connection. */
interface RtpSink {

    /** The thread every write for this viewer happens on. */
    EventLoop eventLoop();

    ByteBufAllocator alloc();

    /** Bytes to reserve before each 12-byte RTP header for the transport's own framing. */
    int headerRoom();

    /** Whether the socket takes more now; when it does not, a frame has to wait or be dropped. */
    boolean isWritable();

    /**
     * Whether a frame that finds the socket full is dropped at once rather than kept for later: UDP viewers share one
     * socket, so one waiting would make all of them wait.
     */
    boolean dropsWhenFull();

    /**
     * Queues one RTP packet: {@code header} holds {@link #headerRoom()} free bytes then the RTP header; the sink owns
     * both buffers from here on.
     */
    void writePacket(ByteBuf header, ByteBuf payload);

    /** Sends what {@link #writePacket} queued. */
    void flush();

    /** Sends one compound RTCP packet, which the sink owns from here on; skipped when the socket is full. */
    void writeRtcp(ByteBuf compound);

    /** Says where the packets go, for logs and metrics. */
    String describe();
}
