package dev.mjpegrtp.camel.rtsp;

import java.nio.ByteBuffer;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One frame's RTP packets but for their fixed headers, written once into one direct buffer and shared by every viewer: each viewer sends
 * slices of it behind RTP headers of its own, so a frame costs one copy however many watch. A packet's slice is its
 * body: what follows its fixed RTP header, that is its header extension if it has one (the first packet, with the
 * ONVIF JPEG header extension), then its payload. Reference counted: each viewer holding it in its queue owns a
 * reference, and each packet on the wire a slice.
 */
final class PacketizedFrame extends AbstractReferenceCounted {

    private final ByteBuf bodies;
    /** Start of body i in {@link #bodies}; entry {@code packetCount} is the total length. */
    private final int[] offsets;
    /** Bytes of the first packet's header extension; the other packets have none. */
    private final int extensionLength;
    private final long ticks;

    private PacketizedFrame(ByteBuf bodies, int[] offsets, int extensionLength, long ticks) {
        this.bodies = bodies;
        this.offsets = offsets;
        this.extensionLength = extensionLength;
        this.ticks = ticks;
    }

    /** @param ticks the frame's presentation time on the stream's 90 kHz clock */
    static PacketizedFrame of(Rfc2435Frame frame, long ticks, ByteBufAllocator allocator) {
        int count = frame.packetCount();
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i + 1] = offsets[i] + frame.headerExtensionLength(i) + frame.payloadLength(i);
        }
        int total = offsets[count];
        ByteBuf bodies = allocator.directBuffer(total, total);
        try {
            ByteBuffer target = bodies.internalNioBuffer(0, total);
            for (int i = 0; i < count; i++) {
                frame.writeHeaderExtension(i, target);
                frame.writePayload(i, target);
            }
            bodies.writerIndex(total);
            return new PacketizedFrame(bodies, offsets, frame.headerExtensionLength(0), ticks);
        } catch (RuntimeException e) {
            bodies.release();
            throw e;
        }
    }

    int packetCount() {
        return offsets.length - 1;
    }

    /** Whether packet {@code index}'s body starts with a header extension: its RTP header must have the X bit set. */
    boolean headerExtension(int index) {
        return index == 0 && extensionLength > 0;
    }

    /** All body bytes of the frame: what its packets carry after their fixed RTP headers. */
    int bodyBytes() {
        return offsets[offsets.length - 1];
    }

    /** The RFC 2435 payload bytes of the frame, without header extensions: RTCP's payload octet count. */
    int payloadBytes() {
        return bodyBytes() - extensionLength;
    }

    /** Body {@code index} as a slice that owns a reference of its own; the caller passes it on or releases it. */
    ByteBuf retainedBody(int index) {
        return bodies.retainedSlice(offsets[index], offsets[index + 1] - offsets[index]);
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
        bodies.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        bodies.touch(hint);
        return this;
    }
}
