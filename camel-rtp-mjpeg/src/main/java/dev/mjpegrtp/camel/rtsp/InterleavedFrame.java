package dev.mjpegrtp.camel.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A binary packet a client sent on its RTSP connection ({@code '$'}, channel, length, data): RTCP from TCP viewers. */
final class InterleavedFrame extends DefaultByteBufHolder {

    private final int channel;

    InterleavedFrame(int channel, ByteBuf data) {
        super(data);
        this.channel = channel;
    }

    int channel() {
        return channel;
    }
}
