package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * A TCP destination: RTP and RTCP interleaved on an RTSP connection (RFC 2326 §10.12), each packet behind
 * {@code '$'}, a channel byte and a 16-bit length. The connection's write buffer water mark decides when it is full.
 */
public final class InterleavedRtpSink implements RtpSink {

    public static final int PREFIX_LENGTH = 4;
    private static final byte MAGIC = '$';
    private static final int HEADER_STRIDE = PREFIX_LENGTH + RtpHeader.LENGTH;

    private final Channel connection;
    private final int rtpChannel;
    private final int rtcpChannel;

    public InterleavedRtpSink(Channel connection, int rtpChannel, int rtcpChannel) {
        this.connection = connection;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
    }

    @Override
    public EventLoop eventLoop() {
        return connection.eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return connection.alloc();
    }

    @Override
    public int framingLength() {
        return PREFIX_LENGTH;
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public boolean dropsWhenFull() {
        return false;
    }

    @Override
    public void writePackets(PacketizedFrame frame, int from, int to, ByteBuf headers) {
        if (headers == null) {
            ByteBuf packets = frame.retainedPackets(from, to);
            int at = packets.readerIndex();
            for (int i = from; i < to; i++) {
                writePrefix(packets, at, rtpChannel, frame.packetLength(i));
                at += PREFIX_LENGTH + frame.packetLength(i);
            }
            connection.write(packets, connection.voidPromise());
            return;
        }
        try {
            for (int i = from; i < to; i++) {
                ByteBuf header = headers.retainedSlice((i - from) * HEADER_STRIDE, HEADER_STRIDE);
                writePrefix(header, header.readerIndex(), rtpChannel, frame.packetLength(i));
                connection.write(header, connection.voidPromise());
                connection.write(frame.retainedBody(i), connection.voidPromise());
            }
        } finally {
            headers.release();
        }
    }

    private static void writePrefix(ByteBuf buffer, int at, int channel, int length) {
        buffer.setByte(at, MAGIC);
        buffer.setByte(at + 1, channel);
        buffer.setShort(at + 2, length);
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public boolean writeRtcp(ByteBuf compound) {
        if (!connection.isWritable()) {
            compound.release();
            return false;
        }
        ByteBuf prefix = connection.alloc().buffer(PREFIX_LENGTH).writerIndex(PREFIX_LENGTH);
        writePrefix(prefix, 0, rtcpChannel, compound.readableBytes());
        connection.write(prefix, connection.voidPromise());
        connection.writeAndFlush(compound, connection.voidPromise());
        return true;
    }

    @Override
    public String describe() {
        return "TCP interleaved " + rtpChannel + "-" + rtcpChannel;
    }
}
