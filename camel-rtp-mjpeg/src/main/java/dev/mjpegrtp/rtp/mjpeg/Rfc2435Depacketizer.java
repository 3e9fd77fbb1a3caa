package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

/**
 * Reassembles the RFC 2435 payloads of one RTP stream into complete JFIF images.
 *
 * <p>A frame is the run of packets sharing an RTP timestamp, ended by the marker bit. Fragments must arrive in order
 * and without gaps (the fragment offset says where each belongs); a gap, a new timestamp before the marker, or a frame
 * beyond {@code maxFrameSize} drops the frame being built and is counted, and assembly resumes at the next packet with
 * fragment offset 0. Joining a running stream mid-frame is normal and not an error.
 *
 * <p>Memory is bounded: one scan buffer that grows up to {@code maxFrameSize}, and at most 127 cached in-band table
 * pairs (Q 128..254; Q 255 tables are per frame by definition). Not thread-safe: one instance per stream.
 */
public final class Rfc2435Depacketizer {

    public static final int DEFAULT_MAX_FRAME_SIZE = 8 * 1024 * 1024;
    private static final int INITIAL_SCAN_CAPACITY = 64 * 1024;
    /** Q 255: tables may change every frame and must travel with each (RFC 2435 §3.1.8). */
    private static final int Q_DYNAMIC = 255;
    private static final int MAX_TABLES_LENGTH = 4 * QuantizationTables.TABLE_SIZE;

    private final int maxFrameSize;
    /** Size from the SDP's a=x-dimensions, for frames whose header says 0 (over 2040 pixels); 0 when not declared. */
    private final int declaredWidth;
    private final int declaredHeight;
    private final byte[][] cachedTables = new byte[Q_DYNAMIC][];
    private final byte[] inBandTables = new byte[MAX_TABLES_LENGTH];

    private byte[] scan = new byte[0];
    private boolean assembling;
    private int frameTimestamp;
    private int scanLength;
    private int type;
    private int q;
    private int width;
    private int height;
    private int restartInterval;
    private int precision;
    private byte[] tables;

    private long framesCompleted;
    private long framesIncomplete;

    public Rfc2435Depacketizer(int maxFrameSize) {
        this(maxFrameSize, 0, 0);
    }

    /**
     * @param declaredWidth  width in pixels the session announces out of band (SDP {@code a=x-dimensions:W,H}), used
     *                       when a frame's header says 0 because it is wider than 2040 pixels; 0 when none is announced
     * @param declaredHeight likewise for the height
     */
    public Rfc2435Depacketizer(int maxFrameSize, int declaredWidth, int declaredHeight) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        if (declaredWidth < 0 || declaredWidth > 65535 || declaredHeight < 0 || declaredHeight > 65535) {
            throw new IllegalArgumentException("declared dimensions " + declaredWidth + "x" + declaredHeight
                    + " outside 0..65535");
        }
        this.maxFrameSize = maxFrameSize;
        this.declaredWidth = declaredWidth;
        this.declaredHeight = declaredHeight;
    }

    /**
     * Takes the RFC 2435 payload of one RTP packet.
     *
     * @return the complete JPEG when this packet finished a frame, otherwise {@code null}
     * @throws MalformedRtpJpegPacketException when the payload is invalid; the frame it belonged to is dropped
     */
    public byte[] push(ByteBuffer packet, int payloadOffset, int payloadLength, int timestamp, boolean marker) {
        if (assembling && timestamp != frameTimestamp) {
            dropFrame(); // the previous frame lost its last packet
        }
        if (payloadLength < Rfc2435Frame.MAIN_HEADER_LENGTH) {
            dropFrame();
            throw new MalformedRtpJpegPacketException("RFC 2435 payload of " + payloadLength
                    + " bytes is shorter than its main header");
        }
        int offset = (packet.get(payloadOffset + 1) & 0xFF) << 16 | (packet.getShort(payloadOffset + 2) & 0xFFFF);
        int at = payloadOffset + Rfc2435Frame.MAIN_HEADER_LENGTH;
        int end = payloadOffset + payloadLength;
        if (offset == 0) {
            if (assembling) {
                dropFrame(); // a frame restarted under the same timestamp: the first attempt is incomplete
            }
            at = startFrame(packet, payloadOffset, at, end, timestamp);
        } else {
            if (!assembling) {
                return null; // joined mid-frame, or this frame is already dropped: wait for the next offset 0
            }
            if (offset != scanLength) {
                dropFrame(); // a fragment is missing
                return null;
            }
            if ((packet.get(payloadOffset + 4) & 0xFF) >= JpegFrame.RESTART_TYPE_OFFSET) {
                at += Rfc2435Frame.RESTART_HEADER_LENGTH;
                if (at > end) {
                    dropFrame();
                    throw new MalformedRtpJpegPacketException("restart marker header runs past the end of the packet");
                }
            }
        }
        append(packet, at, end - at);
        if (!marker) {
            return null;
        }
        assembling = false;
        framesCompleted++;
        return buildJpeg();
    }

    private int startFrame(ByteBuffer packet, int payloadOffset, int at, int end, int timestamp) {
        int frameType = packet.get(payloadOffset + 4) & 0xFF;
        int frameQ = packet.get(payloadOffset + 5) & 0xFF;
        int frameWidth = (packet.get(payloadOffset + 6) & 0xFF) << 3;
        int frameHeight = (packet.get(payloadOffset + 7) & 0xFF) << 3;
        if (frameWidth == 0) {
            frameWidth = declaredWidth;
        }
        if (frameHeight == 0) {
            frameHeight = declaredHeight;
        }
        int baseType = frameType & ~JpegFrame.RESTART_TYPE_OFFSET;
        if (frameType >= 128 || baseType > 1) {
            throw new MalformedRtpJpegPacketException("RFC 2435 type " + frameType + " not supported (0, 1, 64, 65)");
        }
        if (frameWidth == 0 || frameHeight == 0) {
            throw new MalformedRtpJpegPacketException("frame width or height 0 (over 2040 pixels) and no size declared "
                    + "(SDP a=x-dimensions)");
        }
        int interval = 0;
        if (frameType >= JpegFrame.RESTART_TYPE_OFFSET) {
            if (at + Rfc2435Frame.RESTART_HEADER_LENGTH > end) {
                throw new MalformedRtpJpegPacketException("restart marker header runs past the end of the packet");
            }
            interval = packet.getShort(at) & 0xFFFF;
            at += Rfc2435Frame.RESTART_HEADER_LENGTH;
        }
        if (frameQ == 0 || (frameQ > QuantizationTables.MAX_SCALED_Q && frameQ < QuantizationTables.MIN_IN_BAND_Q)) {
            throw new MalformedRtpJpegPacketException("reserved Q value " + frameQ);
        }
        if (frameQ >= QuantizationTables.MIN_IN_BAND_Q) {
            at = readInBandTables(packet, at, end, frameQ);
        } else {
            tables = QuantizationTables.shared(frameQ);
            precision = 0;
        }
        assembling = true;
        frameTimestamp = timestamp;
        scanLength = 0;
        type = frameType;
        q = frameQ;
        width = frameWidth;
        height = frameHeight;
        restartInterval = interval;
        return at;
    }

    private int readInBandTables(ByteBuffer packet, int at, int end, int frameQ) {
        if (at + Rfc2435Frame.QUANTIZATION_HEADER_LENGTH > end) {
            throw new MalformedRtpJpegPacketException("quantization table header runs past the end of the packet");
        }
        int tablePrecision = packet.get(at + 1) & 0xFF;
        int length = packet.getShort(at + 2) & 0xFFFF;
        at += Rfc2435Frame.QUANTIZATION_HEADER_LENGTH;
        if (length == 0) {
            byte[] cached = frameQ == Q_DYNAMIC ? null : cachedTables[frameQ];
            if (cached == null) {
                throw new MalformedRtpJpegPacketException("Q " + frameQ + " without in-band tables and none cached");
            }
            tables = cached;
            precision = cachedPrecision(cached);
            return at;
        }
        int expected = tableLength(tablePrecision, 0) + tableLength(tablePrecision, 1);
        if (tablePrecision > 3 || length != expected || at + length > end) {
            throw new MalformedRtpJpegPacketException("quantization tables of " + length + " bytes with precision "
                    + tablePrecision + " (expected two tables, " + expected + " bytes, inside the packet)");
        }
        if (frameQ == Q_DYNAMIC) {
            packet.get(at, inBandTables, 0, length);
            tables = inBandTables;
        } else {
            byte[] copy = new byte[length + 1];
            packet.get(at, copy, 0, length);
            copy[length] = (byte) tablePrecision; // kept beside the tables for a later packet that omits them
            cachedTables[frameQ] = copy;
            tables = copy;
        }
        precision = tablePrecision;
        return at + length;
    }

    private static int cachedPrecision(byte[] cached) {
        return cached[cached.length - 1];
    }

    private static int tableLength(int precisionBits, int table) {
        return (precisionBits >> table & 1) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    private void append(ByteBuffer packet, int at, int length) {
        int needed = scanLength + length;
        if (needed > maxFrameSize) {
            dropFrame();
            throw new MalformedRtpJpegPacketException("frame exceeds the maximum frame size of " + maxFrameSize + " bytes");
        }
        if (needed > scan.length) {
            int capacity = Math.max(INITIAL_SCAN_CAPACITY, scan.length);
            while (capacity < needed) {
                capacity = (int) Math.min((long) capacity * 2, maxFrameSize);
            }
            byte[] grown = new byte[capacity];
            System.arraycopy(scan, 0, grown, 0, scanLength);
            scan = grown;
        }
        packet.get(at, scan, scanLength, length);
        scanLength = needed;
    }

    private byte[] buildJpeg() {
        boolean endsWithEoi = scanLength >= 2 && scan[scanLength - 2] == (byte) 0xFF && scan[scanLength - 1] == (byte) 0xD9;
        int headerLength = JpegHeaderWriter.length(tableLength(precision, 0), tableLength(precision, 1),
                type >= JpegFrame.RESTART_TYPE_OFFSET);
        byte[] jpeg = new byte[headerLength + scanLength + (endsWithEoi ? 0 : 2)];
        int at = JpegHeaderWriter.write(jpeg, 0, type, width, height, restartInterval, tables, 0, precision);
        System.arraycopy(scan, 0, jpeg, at, scanLength);
        if (!endsWithEoi) {
            jpeg[jpeg.length - 2] = (byte) 0xFF;
            jpeg[jpeg.length - 1] = (byte) 0xD9;
        }
        return jpeg;
    }

    private void dropFrame() {
        if (assembling) {
            assembling = false;
            framesIncomplete++;
        }
    }

    /** Frames handed out whole. */
    public long framesCompleted() {
        return framesCompleted;
    }

    /** Frames started but dropped: a lost fragment, a missing marker, or a frame over the size limit. */
    public long framesIncomplete() {
        return framesIncomplete;
    }

    /** Width in pixels of the last frame started (a multiple of 8, or the declared width). */
    public int width() {
        return width;
    }

    /** Height in pixels of the last frame started (a multiple of 8, or the declared height). */
    public int height() {
        return height;
    }

    /** RFC 2435 type of the last frame started. */
    public int type() {
        return type;
    }

    /** Q of the last frame started. */
    public int q() {
        return q;
    }
}
