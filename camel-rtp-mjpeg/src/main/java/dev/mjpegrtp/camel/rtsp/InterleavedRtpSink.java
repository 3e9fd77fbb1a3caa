package dev.mjpegrtp.camel.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * A TCP viewer: RTP and RTCP interleaved on its RTSP connection (RFC 2326 §10.12), each packet behind
 * {@code '$'}, a channel byte and a 16-bit length. The connection's write buffer water mark decides when it is full.
 */
final class InterleavedRtpSink implements RtpSink {

    static final int PREFIX_LENGTH = 4;
    private static final byte MAGIC = '$';

    private final Channel connection;
    private final int rtpChannel;
    private final int rtcpChannel;

    InterleavedRtpSink(Channel connection, int rtpChannel, int rtcpChannel) {
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
    public int headerRoom() {
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
    public void writePacket(ByteBuf header, ByteBuf payload) {
        int length = header.readableBytes() - PREFIX_LENGTH + payload.readableBytes();
        int at = header.readerIndex();
        header.setByte(at, MAGIC);
        header.setByte(at + 1, rtpChannel);
        header.setShort(at + 2, length);
        connection.write(header, connection.voidPromise());
        connection.write(payload, connection.voidPromise());
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void writeRtcp(ByteBuf compound) {
        if (!connection.isWritable()) {
            compound.release();
            return;
        }
        ByteBuf prefix = connection.alloc().buffer(PREFIX_LENGTH);
        prefix.writeByte(MAGIC).writeByte(rtcpChannel).writeShort(compound.readableBytes());
        connection.write(prefix, connection.voidPromise());
        connection.writeAndFlush(compound, connection.voidPromise());
    }

    @Override
    public String describe() {
        return "TCP interleaved " + rtpChannel + "-" + rtcpChannel;
    }
}
