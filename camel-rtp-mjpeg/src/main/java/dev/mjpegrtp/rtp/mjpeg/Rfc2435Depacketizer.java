package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

/**
 * Reassembles the RFC 2435 payloads of one RTP stream into complete JFIF images.
 *
 * <p>A frame is the run of packets sharing an RTP timestamp, ended by the marker bit. Fragments must arrive in order
 * (the fragment offset says where each belongs); a new timestamp before the marker, or a frame beyond
 * {@code maxFrameSize} drops the frame being built and is counted. Joining a running stream mid-frame is normal and
 * not an error.
 *
 * <p>A gap drops the frame, unless its packets are aligned on restart intervals (RFC 2435 §3.1.7: F, L and a restart
 * count other than 0x3FFF): then the chunk the gap cut into is discarded, and at the next packet that starts a chunk
 * (or at the marker) the lost intervals are replaced by {@link NeutralIntervals mid-gray ones}, so the rest of the
 * frame still decodes. The same lets a frame whose first packets were lost start at a later chunk, when its tables
 * are known (Q 1..99, or a cached Q 128..254). {@link #concealedIntervals()} says how much of a frame was replaced.
 *
 * <p>A frame wider or taller than 2040 pixels says 0 in its header; its size comes from the ONVIF JPEG header
 * extension when the sender puts one there ({@link #push(ByteBuffer, RtpHeader)}), else from the size the session
 * declares out of band.
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
    /**
     * Size from the ONVIF JPEG header extension of the frame whose RTP timestamp is {@link #extensionTimestamp}, as
     * {@code width << 16 | height}; -1 when none was seen.
     */
    private long frameExtensionSize = -1;
    private int extensionTimestamp;
    /** Size from the last ONVIF JPEG header extension seen, for frames whose header says 0 and that carry none. */
    private int extensionWidth;
    private int extensionHeight;

    private byte[] scan = new byte[0];
    private boolean assembling;
    private int frameTimestamp;
    /** Whether any frame was ever started: before that, a partial frame is a mid-stream join, not a loss. */
    private boolean frameStarted;
    private boolean timestampSeen;
    private int lastTimestamp;
    private int scanLength;
    private int type;
    private int q;
    private int width;
    private int height;
    private int restartInterval;
    private int precision;
    private byte[] tables;

    /** Restart-aligned recovery state of the frame being built. */
    private boolean aligned;
    /** Our scan position minus the sender's fragment offset: grows when lost intervals are replaced. */
    private int offsetShift;
    private int chunkStartOffset;
    private int chunkStartInterval;
    private boolean chunkComplete;
    /** A gap cut the frame: packets are skipped until one starts a chunk, or the marker comes. */
    private boolean resynchronizing;
    private int intervalsKept;
    private int concealing;
    private int concealedIntervals;

    private long framesCompleted;
    private long framesIncomplete;
    private long framesConcealed;

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
     * Takes one RTP packet that {@code header} has just {@link RtpHeader#read read}: its RFC 2435 payload and, in a
     * frame's first packet, the {@link OnvifJpegExtension ONVIF JPEG header extension}, whose SOF gives the frame's
     * exact size. It takes precedence over the RFC 2435 header and over the declared size, and serves later frames
     * whose header says 0 and that carry no extension. Its other marker segments are not used. A packet that holds
     * only the extension, with no RFC 2435 payload (ONVIF lets a frame's headers go ahead of its first scan data), is
     * taken for that size alone.
     *
     * @return the complete JPEG when this packet finished a frame, otherwise {@code null}
     * @throws MalformedRtpJpegPacketException when the payload or the extension is invalid; the frame is dropped
     */
    public byte[] push(ByteBuffer packet, RtpHeader header) {
        int profile = header.extensionProfile();
        if (profile == OnvifJpegExtension.INITIAL_PROFILE) {
            long size;
            try {
                size = OnvifJpegExtension.frameSize(packet, header.extensionOffset(), header.extensionLength());
            } catch (MalformedRtpJpegPacketException e) {
                dropFrame();
                throw e;
            }
            if (size >= 0) {
                frameExtensionSize = size;
                extensionTimestamp = header.timestamp();
            }
        }
        boolean extensionOnly = profile == OnvifJpegExtension.INITIAL_PROFILE
                || profile == OnvifJpegExtension.CONTINUATION_PROFILE;
        if (extensionOnly && header.payloadLength() == 0 && !header.marker()) {
            return null;
        }
        return push(packet, header.payloadOffset(), header.payloadLength(), header.timestamp(), header.marker());
    }

    /**
     * Takes the RFC 2435 payload of one RTP packet, for a caller that reads RTP headers itself (an ONVIF header
     * extension is then not seen).
     *
     * @return the complete JPEG when this packet finished a frame, otherwise {@code null}
     * @throws MalformedRtpJpegPacketException when the payload is invalid; the frame it belonged to is dropped
     */
    public byte[] push(ByteBuffer packet, int payloadOffset, int payloadLength, int timestamp, boolean marker) {
        boolean newTimestamp = !timestampSeen || timestamp != lastTimestamp;
        if (newTimestamp) {
            if (assembling) {
                dropFrame(); // the previous frame lost its last packet
            }
            timestampSeen = true;
            lastTimestamp = timestamp;
        }
        if (payloadLength < Rfc2435Frame.MAIN_HEADER_LENGTH) {
            dropFrame();
            throw new MalformedRtpJpegPacketException("RFC 2435 payload of " + payloadLength
                    + " bytes is shorter than its main header");
        }
        int offset = (packet.get(payloadOffset + 1) & 0xFF) << 16 | (packet.getShort(payloadOffset + 2) & 0xFFFF);
        int packetType = packet.get(payloadOffset + 4) & 0xFF;
        int at = payloadOffset + Rfc2435Frame.MAIN_HEADER_LENGTH;
        int end = payloadOffset + payloadLength;
        if (packetType >= 128) {
            dropFrame();
            throw new MalformedRtpJpegPacketException("RFC 2435 type " + packetType + " not supported (0, 1, 64, 65)");
        }
        int restartField = Rfc2435Frame.RESTART_WHOLE_FRAME;
        if (packetType >= JpegFrame.RESTART_TYPE_OFFSET) {
            if (at + Rfc2435Frame.RESTART_HEADER_LENGTH > end) {
                dropFrame();
                throw new MalformedRtpJpegPacketException("restart marker header runs past the end of the packet");
            }
            restartField = packet.getShort(at + 2) & 0xFFFF;
        }
        boolean chunkStart = restartField != Rfc2435Frame.RESTART_WHOLE_FRAME
                && (restartField & Rfc2435Frame.RESTART_FIRST) != 0;
        int chunkIndex = restartField & Rfc2435Frame.RESTART_COUNT_MASK;
        if (offset == 0) {
            if (assembling && scanLength > 0) {
                dropFrame(); // a frame restarted under the same timestamp: the first attempt is incomplete
            }
            at = startFrame(packet, payloadOffset, at, end, timestamp);
            aligned = chunkStart;
        } else {
            if (!assembling) {
                // Joined mid-frame, or this frame is already dropped: a later chunk can still start it.
                if (!chunkStart || !startFrameAtChunk(packet, payloadOffset, at, end, timestamp, chunkIndex)) {
                    if (newTimestamp && frameStarted) {
                        framesIncomplete++; // a frame whose first packet never came
                    }
                    return null;
                }
            }
            if (packetType >= JpegFrame.RESTART_TYPE_OFFSET) {
                at += Rfc2435Frame.RESTART_HEADER_LENGTH;
            }
            if (resynchronizing || offset + offsetShift != scanLength) {
                if (!aligned) {
                    dropFrame(); // a fragment is missing
                    return null;
                }
                if (!resynchronizing) {
                    keepWholeIntervals();
                }
                if (chunkStart && chunkIndex > intervalsKept) {
                    conceal(chunkIndex);
                } else if (marker && !chunkStart) {
                    conceal(totalIntervals());
                    return completeFrame();
                } else {
                    return null; // wait for the start of a chunk
                }
                offsetShift = scanLength - offset;
            }
        }
        if (chunkStart) {
            chunkStartOffset = scanLength;
            chunkStartInterval = chunkIndex;
            chunkComplete = false;
        }
        append(packet, at, end - at);
        chunkComplete |= aligned && (restartField & Rfc2435Frame.RESTART_LAST) != 0;
        return marker ? completeFrame() : null;
    }

    private byte[] completeFrame() {
        assembling = false;
        framesCompleted++;
        concealedIntervals = concealing;
        if (concealing > 0) {
            framesConcealed++;
        }
        return buildJpeg();
    }

    private int startFrame(ByteBuffer packet, int payloadOffset, int at, int end, int timestamp) {
        int frameQ = packet.get(payloadOffset + 5) & 0xFF;
        at = readFrameHeader(packet, payloadOffset, at, end, timestamp);
        if (frameQ >= QuantizationTables.MIN_IN_BAND_Q) {
            at = readInBandTables(packet, at, end, frameQ);
        } else {
            tables = QuantizationTables.shared(frameQ);
            precision = 0;
        }
        beginFrame(timestamp);
        return at;
    }

    /**
     * Starts a frame whose first packets were lost at a later chunk of restart intervals, replacing the intervals
     * before it: possible when the tables need not come from the lost first packet.
     */
    private boolean startFrameAtChunk(ByteBuffer packet, int payloadOffset, int at, int end, int timestamp,
                                      int chunkIndex) {
        int frameQ = packet.get(payloadOffset + 5) & 0xFF;
        byte[] known = frameQ < QuantizationTables.MIN_IN_BAND_Q ? null : frameQ == Q_DYNAMIC ? null : cachedTables[frameQ];
        if (chunkIndex == 0 || (frameQ >= QuantizationTables.MIN_IN_BAND_Q && known == null)) {
            return false; // the first chunk is at offset 0; Q 255 or uncached Q 128..254 tables were in the lost packet
        }
        readFrameHeader(packet, payloadOffset, at, end, timestamp);
        if (known != null) {
            tables = known;
            precision = cachedPrecision(known);
        } else {
            tables = QuantizationTables.shared(frameQ);
            precision = 0;
        }
        beginFrame(timestamp);
        aligned = true;
        resynchronizing = true;
        intervalsKept = 0;
        return true;
    }

    /** Reads type, Q, size and restart interval, checks them, and returns the offset after the restart header. */
    private int readFrameHeader(ByteBuffer packet, int payloadOffset, int at, int end, int timestamp) {
        int frameType = packet.get(payloadOffset + 4) & 0xFF;
        int frameQ = packet.get(payloadOffset + 5) & 0xFF;
        int frameWidth = (packet.get(payloadOffset + 6) & 0xFF) << 3;
        int frameHeight = (packet.get(payloadOffset + 7) & 0xFF) << 3;
        if (frameExtensionSize >= 0 && extensionTimestamp == timestamp) {
            extensionWidth = (int) (frameExtensionSize >>> 16);
            extensionHeight = (int) (frameExtensionSize & 0xFFFF);
            frameWidth = extensionWidth;
            frameHeight = extensionHeight;
        }
        if (frameWidth == 0) {
            frameWidth = extensionWidth != 0 ? extensionWidth : declaredWidth;
        }
        if (frameHeight == 0) {
            frameHeight = extensionHeight != 0 ? extensionHeight : declaredHeight;
        }
        int baseType = frameType & ~JpegFrame.RESTART_TYPE_OFFSET;
        if (frameType >= 128 || baseType > 1) {
            throw new MalformedRtpJpegPacketException("RFC 2435 type " + frameType + " not supported (0, 1, 64, 65)");
        }
        if (frameWidth == 0 || frameHeight == 0) {
            throw new MalformedRtpJpegPacketException("frame width or height 0 (over 2040 pixels) and no size declared "
                    + "(SDP a=x-dimensions) or sent (ONVIF JPEG header extension)");
        }
        int interval = 0;
        if (frameType >= JpegFrame.RESTART_TYPE_OFFSET) {
            interval = packet.getShort(at) & 0xFFFF;
            if (interval == 0) {
                throw new MalformedRtpJpegPacketException("restart interval 0 in a restart marker header");
            }
            at += Rfc2435Frame.RESTART_HEADER_LENGTH;
        }
        if (frameQ == 0 || (frameQ > QuantizationTables.MAX_SCALED_Q && frameQ < QuantizationTables.MIN_IN_BAND_Q)) {
            throw new MalformedRtpJpegPacketException("reserved Q value " + frameQ);
        }
        type = frameType;
        q = frameQ;
        width = frameWidth;
        height = frameHeight;
        restartInterval = interval;
        return at;
    }

    private void beginFrame(int timestamp) {
        frameStarted = true;
        assembling = true;
        frameTimestamp = timestamp;
        scanLength = 0;
        aligned = false;
        offsetShift = 0;
        chunkStartOffset = 0;
        chunkStartInterval = 0;
        chunkComplete = false;
        resynchronizing = false;
        concealing = 0;
    }

    /**
     * After a gap: drops the part of a chunk that arrived, so that the scan ends on an interval boundary, and counts
     * the intervals kept (a complete chunk ends with the restart marker of each of its intervals).
     */
    private void keepWholeIntervals() {
        if (chunkComplete) {
            intervalsKept = chunkStartInterval + restartMarkers(chunkStartOffset, scanLength);
        } else {
            scanLength = chunkStartOffset;
            intervalsKept = chunkStartInterval;
        }
        resynchronizing = true;
    }

    private int restartMarkers(int from, int to) {
        int markers = 0;
        for (int at = from; at + 1 < to; at++) {
            if (scan[at] == (byte) 0xFF && JpegMarker.isRestart(scan[at + 1] & 0xFF)) {
                markers++;
            }
        }
        return markers;
    }

    /** Appends mid-gray intervals from the last one kept up to (not including) {@code upTo}. */
    private void conceal(int upTo) {
        int total = totalIntervals();
        if (upTo > total || intervalsKept >= total) {
            dropFrame();
            throw new MalformedRtpJpegPacketException("restart count " + upTo + " beyond the frame's " + total
                    + " restart intervals");
        }
        int mcus = (int) Math.min(Integer.MAX_VALUE, mcuCount());
        for (int interval = intervalsKept; interval < upTo; interval++) {
            boolean last = interval == total - 1;
            int intervalMcus = last ? mcus - interval * restartInterval : restartInterval;
            ensureCapacity(scanLength + NeutralIntervals.maxLength(type, intervalMcus));
            scanLength = NeutralIntervals.write(scan, scanLength, type, intervalMcus, interval, last);
            concealing++;
        }
        intervalsKept = upTo;
        resynchronizing = false;
    }

    private long mcuCount() {
        int mcuHeight = (type & 1) == 1 ? 16 : 8;
        return (long) ((width + 15) / 16) * ((height + mcuHeight - 1) / mcuHeight);
    }

    private int totalIntervals() {
        return (int) Math.min(Integer.MAX_VALUE, (mcuCount() + restartInterval - 1) / restartInterval);
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
        ensureCapacity(needed);
        packet.get(at, scan, scanLength, length);
        scanLength = needed;
    }

    /** Grows the scan buffer to {@code needed} bytes, never beyond {@code maxFrameSize}. */
    private void ensureCapacity(int needed) {
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

    /** Frames handed out with lost restart intervals replaced by mid-gray ones; included in {@link #framesCompleted}. */
    public long framesConcealed() {
        return framesConcealed;
    }

    /** Restart intervals replaced in the last frame handed out; 0 when it arrived whole. */
    public int concealedIntervals() {
        return concealedIntervals;
    }

    /** Width in pixels of the last frame started: a multiple of 8, or the extension's or the declared width. */
    public int width() {
        return width;
    }

    /** Height in pixels of the last frame started: a multiple of 8, or the extension's or the declared height. */
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
