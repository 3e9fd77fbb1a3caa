package dev.mjpegrtp.camel.rtsp;

import java.nio.ByteBuffer;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One frame's RFC 2435 payloads, written once into one direct buffer and shared by every viewer: each viewer sends
 * slices of it behind RTP headers of its own, so a frame costs one copy however many watch. Reference counted: each
 * viewer holding it in its queue owns a reference, and each packet on the wire a slice.
 */
final class PacketizedFrame extends AbstractReferenceCounted {

    private final ByteBuf payloads;
    /** Start of payload i in {@link #payloads}; entry {@code packetCount} is the total length. */
    private final int[] offsets;
    private final long ticks;

    private PacketizedFrame(ByteBuf payloads, int[] offsets, long ticks) {
        this.payloads = payloads;
        this.offsets = offsets;
        this.ticks = ticks;
    }

    /** @param ticks the frame's presentation time on the stream's 90 kHz clock */
    static PacketizedFrame of(Rfc2435Frame frame, long ticks, ByteBufAllocator allocator) {
        int count = frame.packetCount();
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i + 1] = offsets[i] + frame.payloadLength(i);
        }
        int total = offsets[count];
        ByteBuf payloads = allocator.directBuffer(total, total);
        try {
            ByteBuffer target = payloads.internalNioBuffer(0, total);
            for (int i = 0; i < count; i++) {
                frame.writePayload(i, target);
            }
            payloads.writerIndex(total);
            return new PacketizedFrame(payloads, offsets, ticks);
        } catch (RuntimeException e) {
            payloads.release();
            throw e;
        }
    }

    int packetCount() {
        return offsets.length - 1;
    }

    int payloadLength(int index) {
        return offsets[index + 1] - offsets[index];
    }

    /** All payload bytes of the frame. */
    int payloadBytes() {
        return offsets[offsets.length - 1];
    }

    /** Payload {@code index} as a slice that owns a reference of its own; the caller passes it on or releases it. */
    ByteBuf retainedPayload(int index) {
        return payloads.retainedSlice(offsets[index], payloadLength(index));
    }

    long ticks() {
        return ticks;
    }

    @Override
    public PacketizedFrame retain() {
        super.retain();
        return this;
    }

    @Override
    protected void deallocate() {
        payloads.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payloads.touch(hint);
        return this;
    }
}
