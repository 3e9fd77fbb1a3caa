package dev.mjpegrtp.camel.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One published frame as every viewer gets it: a single direct buffer holding the multipart part (boundary, headers,
 * the JPEG, CRLF), written to each {@code .mjpeg} viewer as a duplicate, never copied again; snapshots send the JPEG
 * slice of the same buffer. The stream holds one reference while the frame is its latest; each write holds another.
 */
final class MultipartFrame {

    /** The multipart boundary, which no JPEG is scanned for: each part says its length. */
    static final String BOUNDARY = "mjpegrtpframe";
    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteBuf part;
    private final int jpegOffset;
    private final int jpegLength;
    private final long sequence;

    private MultipartFrame(ByteBuf part, int jpegOffset, int jpegLength, long sequence) {
        this.part = part;
        this.jpegOffset = jpegOffset;
        this.jpegLength = jpegLength;
        this.sequence = sequence;
    }

    /** Copies the JPEG (the readable bytes of {@code jpeg}, left as they are) into a new part. */
    static MultipartFrame of(ByteBuffer jpeg, long sequence, ByteBufAllocator allocator) {
        int jpegLength = jpeg.remaining();
        ByteBuf part = newPart(jpegLength, allocator);
        int jpegOffset = part.writerIndex();
        part.writeBytes(jpeg.duplicate());
        return new MultipartFrame(part.writeBytes(CRLF), jpegOffset, jpegLength, sequence);
    }

    /**
     * Writes the JPEG an RFC 2435 receiver rebuilds from {@code frame} (its headers, then its scan) straight into a
     * new part: the frame's one copy.
     */
    static MultipartFrame of(JpegFrame frame, long sequence, ByteBufAllocator allocator) {
        int jpegLength = frame.rebuiltLength();
        ByteBuf part = newPart(jpegLength, allocator);
        int jpegOffset = part.writerIndex();
        frame.writeRebuilt(part.nioBuffer(jpegOffset, jpegLength));
        part.writerIndex(jpegOffset + jpegLength);
        return new MultipartFrame(part.writeBytes(CRLF), jpegOffset, jpegLength, sequence);
    }

    /** A buffer for a part whose JPEG has {@code jpegLength} bytes, holding the part's headers so far. */
    private static ByteBuf newPart(int jpegLength, ByteBufAllocator allocator) {
        byte[] header = ("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpegLength
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf part = allocator.directBuffer(header.length + jpegLength + CRLF.length);
        return part.writeBytes(header);
    }

    /** The whole part for a {@code .mjpeg} viewer; the caller owns the reference it returns. */
    ByteBuf retainedPart() {
        return part.retainedDuplicate();
    }

    /** The JPEG alone for a snapshot; the caller owns the reference it returns. */
    ByteBuf retainedJpeg() {
        return part.retainedSlice(jpegOffset, jpegLength);
    }

    int jpegLength() {
        return jpegLength;
    }

    /** The snapshot's entity tag: the frame's number in its stream, unique while the stream runs. */
    String etag() {
        return "\"" + Long.toHexString(sequence) + "\"";
    }

    void release() {
        part.release();
    }
}
