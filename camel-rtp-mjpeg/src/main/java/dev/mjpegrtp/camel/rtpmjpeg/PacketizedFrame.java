package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.ByteBuffer;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;

/**
 * One frame's RTP packets but for their fixed headers, written once into one direct buffer: what every producer hands
 * to its {@link RtpStreamSender}s. A packet's body is what follows its fixed RTP header: its header extension if it has
 * one (the first packet, with the ONVIF JPEG header extension), then its payload.
 *
 * <p>A frame {@link #shared shared} by several destinations holds the bodies back to back: each destination sends
 * them behind RTP headers of its own, so a frame costs one copy however many receive it. A frame
 * {@link #forOneDestination for one destination} leaves room before each body for that destination's framing and RTP
 * header, which its sender writes in place, and, for an SRTP stream, room after each body for its authentication tag:
 * runs of whole packets then go to the socket as slices of this buffer, with no buffer per packet.
 *
 * <p>Where each packet starts is kept in a table at the end of the buffer rather than in an array, and the frame's
 * references are the buffer's, so that a frame costs the heap no more than this object. Each holder (a viewer's queue,
 * a frame being paced) owns a reference, and each run or body on the wire a slice.
 */
public final class PacketizedFrame implements ReferenceCounted {

    private final ByteBuf buffer;
    private final int packetCount;
    /** Bytes of transport framing before each RTP header in a frame for one destination; -1 in a shared frame. */
    private final int framing;
    /** Bytes after each body of a frame for one destination, for its sender to fill (SRTP's tag); 0 in a shared frame. */
    private final int trailer;
    /** Bytes of the first packet's header extension; the other packets have none. */
    private final int extensionLength;
    private final long ticks;

    private PacketizedFrame(ByteBuf buffer, int packetCount, int framing, int trailer, int extensionLength, long ticks) {
        this.buffer = buffer;
        this.packetCount = packetCount;
        this.framing = framing;
        this.trailer = trailer;
        this.extensionLength = extensionLength;
        this.ticks = ticks;
    }

    /**
     * A frame that several destinations send, each behind headers of its own.
     *
     * @param ticks the frame's presentation time on a 90 kHz clock
     */
    public static PacketizedFrame shared(Rfc2435Frame frame, long ticks, ByteBufAllocator allocator) {
        return of(frame, ticks, allocator, -1, 0);
    }

    /**
     * A frame that only {@code sink}'s destination sends: its sender writes the RTP headers into the frame.
     *
     * @param ticks the frame's presentation time on a 90 kHz clock
     */
    public static PacketizedFrame forOneDestination(Rfc2435Frame frame, long ticks, RtpSink sink) {
        return forOneDestination(frame, ticks, sink, 0);
    }

    /**
     * As {@link #forOneDestination(Rfc2435Frame, long, RtpSink)}, with {@code trailer} bytes after each packet's body
     * for the sender to fill (an SRTP authentication tag).
     */
    public static PacketizedFrame forOneDestination(Rfc2435Frame frame, long ticks, RtpSink sink, int trailer) {
        return of(frame, ticks, sink.alloc(), sink.framingLength(), trailer);
    }

    private static PacketizedFrame of(Rfc2435Frame frame, long ticks, ByteBufAllocator allocator, int framing,
                                      int trailer) {
        int count = frame.packetCount();
        int room = room(framing);
        int packets = 0;
        for (int i = 0; i < count; i++) {
            packets += room + frame.headerExtensionLength(i) + frame.payloadLength(i) + trailer;
        }
        int total = packets + Integer.BYTES * (count + 1);
        ByteBuf buffer = allocator.directBuffer(total, total);
        try {
            ByteBuffer target = buffer.internalNioBuffer(0, packets);
            int base = target.position(); // a pooled buffer's view starts where the buffer lies in its chunk
            for (int i = 0; i < count; i++) {
                buffer.setInt(packets + Integer.BYTES * i, target.position() - base);
                target.position(target.position() + room);
                frame.writeHeaderExtension(i, target);
                frame.writePayload(i, target);
                target.position(target.position() + trailer);
            }
            buffer.setInt(packets + Integer.BYTES * count, packets);
            buffer.writerIndex(total);
            return new PacketizedFrame(buffer, count, framing, trailer, frame.headerExtensionLength(0), ticks);
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    public int packetCount() {
        return packetCount;
    }

    /** The frame's presentation time on a 90 kHz clock. */
    public long ticks() {
        return ticks;
    }

    /** Whether the frame is one destination's, with room for its headers: see {@link #forOneDestination}. */
    public boolean holdsHeaders() {
        return framing >= 0;
    }

    /** Bytes of transport framing before each RTP header of a frame for one destination. */
    public int framingLength() {
        return Math.max(framing, 0);
    }

    /** Bytes after each packet's body for its sender to fill (see {@link #packet}): SRTP's authentication tag. */
    public int trailerLength() {
        return trailer;
    }

    /** Whether packet {@code index}'s body starts with a header extension: its RTP header must have the X bit set. */
    public boolean headerExtension(int index) {
        return index == 0 && extensionLength > 0;
    }

    /**
     * Bytes of packet {@code index} on the wire: fixed RTP header, header extension, payload and trailer, without
     * transport framing.
     */
    public int packetLength(int index) {
        return RtpHeader.LENGTH + bodyLength(index) + trailer;
    }

    /** Bytes of packet {@code index}'s RFC 2435 payload, without its header extension: what RTCP counts. */
    public int payloadLength(int index) {
        return bodyLength(index) - (index == 0 ? extensionLength : 0);
    }

    /** The RFC 2435 payload bytes of the whole frame. */
    public int payloadBytes() {
        return start(packetCount) - packetCount * (room(framing) + trailer) - extensionLength;
    }

    /**
     * Where packet {@code index}'s RTP header goes in a frame for one destination: a view of the buffer positioned
     * there, valid until the next call.
     */
    public ByteBuffer headerSpace(int index) {
        return buffer.internalNioBuffer(start(index) + framing, RtpHeader.LENGTH);
    }

    /**
     * Packet {@code index} of a frame for one destination, from its RTP header through its trailer: a view of the
     * buffer, positioned at the header and {@link #packetLength} long, valid until the next call.
     */
    public ByteBuffer packet(int index) {
        return buffer.internalNioBuffer(start(index) + framing, packetLength(index));
    }

    /** Body {@code index} as a slice that owns a reference of its own; the caller passes it on or releases it. */
    public ByteBuf retainedBody(int index) {
        int start = start(index) + room(framing);
        return buffer.retainedSlice(start, start(index + 1) - start);
    }

    /**
     * Packets [from, to) of a frame for one destination, each behind its framing, as one slice that owns a reference
     * of its own.
     */
    public ByteBuf retainedPackets(int from, int to) {
        int start = start(from);
        return buffer.retainedSlice(start, start(to) - start);
    }

    private int bodyLength(int index) {
        return start(index + 1) - start(index) - room(framing) - trailer;
    }

    /** Where packet {@code index}, its room first, starts; entry {@code packetCount} is where the table starts. */
    private int start(int index) {
        return buffer.getInt(buffer.capacity() - Integer.BYTES * (packetCount + 1 - index));
    }

    /** Bytes before each body: the framing and an RTP header in a frame for one destination, none in a shared one. */
    private static int room(int framing) {
        return framing < 0 ? 0 : framing + RtpHeader.LENGTH;
    }

    @Override
    public int refCnt() {
        return buffer.refCnt();
    }

    @Override
    public PacketizedFrame retain() {
        buffer.retain();
        return this;
    }

    @Override
    public PacketizedFrame retain(int increment) {
        buffer.retain(increment);
        return this;
    }

    @Override
    public PacketizedFrame touch() {
        buffer.touch();
        return this;
    }

    @Override
    public PacketizedFrame touch(Object hint) {
        buffer.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return buffer.release();
    }

    @Override
    public boolean release(int decrement) {
        return buffer.release(decrement);
    }
}
