package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

import dev.mjpegrtp.jpeg.ChromaSubsampling;
import dev.mjpegrtp.jpeg.JpegHeaderWriter;

/**
 * Reassembles the RFC 2435 payloads of one RTP stream into complete JFIF images, whatever order the packets arrive in
 * and whatever else arrives with them.
 *
 * <p>A frame is the set of packets sharing an RTP timestamp. It is put together by fragment offset, not by sequence
 * number, in one of {@value #FRAMES_IN_ASSEMBLY} slots, and handed out only when it is whole: the marker packet
 * arrived, and the fragments cover the offsets from 0 to its end exactly once. A packet never merges into a frame it
 * contradicts: one whose type, Q, size or restart interval differs from the frame's first packet is rejected and the
 * frame is untouched; an exact copy of a fragment already held is a duplicate; a fragment that overlaps another
 * differently, or lies beyond the frame's end, marks the frame as contested, and it is dropped instead of handed out.
 * A packet of one of the last {@value #RECENT_FRAMES} frames handed out is late and ignored, and handing out a frame
 * drops every older one still in assembly (counted in {@link #framesIncomplete()}). A frame with no free slot takes
 * the one whose frame is the least likely to complete: first one far ahead of or behind the last frame handed out (more
 * than {@value #MAX_TIMESTAMP_JUMP} ticks, 10 s), or contested, then the one holding the fewest bytes, then the least
 * recently added to. So a flood of frames that never complete, under random timestamps, takes no slot from the
 * stream's frame in assembly. Joining a running stream mid-frame is normal and not an error.
 *
 * <p>Limits, each a {@link MalformedRtpJpegPacketException} naming it: the frame's size, from whichever source gives
 * it, at most {@code maxWidth} x {@code maxHeight}; a frame's bytes at most {@code maxFrameSize}. A frame wider or
 * taller than 2040 pixels says 0 in its header; its size comes from the ONVIF JPEG header extension when the sender
 * puts one there ({@link #push(ByteBuffer, RtpHeader)}), else from the size the session declares out of band.
 *
 * <p>A frame whose packets are aligned on restart intervals (RFC 2435 §3.1.7: F, L and a restart count other than
 * 0x3FFF) and that lost some of them is still handed out when its marker arrived and a packet of a later frame
 * follows: the complete chunks of intervals that arrived are kept and the rest replaced by {@link NeutralIntervals
 * mid-gray ones}, provided that at most a quarter of its intervals (1/{@value #MAX_CONCEALED_FRACTION_DENOMINATOR}) are
 * replaced and its tables are known (Q 1..99, a cached Q 128..254, or the first packet arrived).
 * {@link #concealedIntervals()} says how much of a frame was replaced.
 *
 * <p>Memory grows with what arrives and is bounded: per slot the bytes received, up to what the frame's size can code
 * and at most {@code maxFrameSize}, with an index of its fragments; one buffer for replaced intervals up to {@code maxFrameSize}; at most 127 cached in-band
 * table pairs (Q 128..254; Q 255 tables are per frame by definition). Not thread-safe: one instance per stream.
 */
public final class Rfc2435Depacketizer {

    public static final int DEFAULT_MAX_FRAME_SIZE = 8 * 1024 * 1024;
    /** 4096 x 4096: room for DCI 4K (4096 x 2160) and UHD (3840 x 2160) in either orientation. */
    public static final int DEFAULT_MAX_WIDTH = 4096;
    public static final int DEFAULT_MAX_HEIGHT = 4096;
    /**
     * Frames in assembly at once: the one arriving, one whose last packets are overtaken by the next frame's first,
     * and room for strays without evicting either.
     */
    static final int FRAMES_IN_ASSEMBLY = 4;
    /**
     * At most 1/4 of a frame's intervals are replaced: more is more gray than picture, and an attacker's few small
     * packets could otherwise make a large frame of gray.
     */
    static final int MAX_CONCEALED_FRACTION_DENOMINATOR = 4;
    /** 10 s at 90 kHz: a timestamp further than this from the last frame handed out is not the stream's next frame. */
    static final int MAX_TIMESTAMP_JUMP = 10 * 90_000;
    /** Frames handed out whose packets are recognised as late: 0.5 s at 30 fps. */
    static final int RECENT_FRAMES = 16;
    /** Q 255: tables may change every frame and must travel with each (RFC 2435 §3.1.8). */
    private static final int Q_DYNAMIC = 255;

    private final int maxFrameSize;
    private final int maxWidth;
    private final int maxHeight;
    /** Size from the SDP's a=x-dimensions, for frames whose header says 0 (over 2040 pixels); 0 when not declared. */
    private final int declaredWidth;
    private final int declaredHeight;
    private final byte[][] cachedTables = new byte[Q_DYNAMIC][];
    private final FrameAssembly[] frames = new FrameAssembly[FRAMES_IN_ASSEMBLY];
    /** The scan of a frame with replaced intervals; grows up to {@code maxFrameSize}. */
    private byte[] concealedScan = new byte[0];
    private int concealedScanLength;
    private final int[] concealedCount = new int[1];
    /**
     * Size from the ONVIF JPEG header extension of the frame whose RTP timestamp is {@link #extensionTimestamp}, as
     * {@code width << 16 | height}; -1 when none was seen.
     */
    private long frameExtensionSize = -1;
    private int extensionTimestamp;
    /** Size from the last ONVIF JPEG header extension seen, for frames whose header says 0 and that carry none. */
    private int extensionWidth;
    private int extensionHeight;

    /** The packet being taken, as {@link #readPacketHeader} found it. */
    private int packetOffset;
    private int packetType;
    private int packetQ;
    private int packetWidth;
    private int packetHeight;
    private int packetInterval;
    private int packetRestartField;
    private int tablesAt;
    private int tablesLength;
    private int tablesPrecision;

    private long clock;
    private boolean handedOut;
    private int lastTimestamp;
    /**
     * Timestamps of the last frames handed out, whose packets are late: a list, not everything at or before the last,
     * so that one forged frame ahead of the stream cannot make the stream's next frames late.
     */
    private final int[] recentTimestamps = new int[RECENT_FRAMES];
    private int recentCount;

    private int width;
    private int height;
    private int type;
    private int q;
    private int firstSequenceNumber;
    private int lastSequenceNumber;
    private int concealedIntervals;
    private long framesCompleted;
    private long framesIncomplete;
    private long framesConcealed;
    private long packetsLate;
    private long packetsDuplicate;

    public Rfc2435Depacketizer(int maxFrameSize) {
        this(maxFrameSize, 0, 0);
    }

    /**
     * @param declaredWidth  width in pixels the session announces out of band (SDP {@code a=x-dimensions:W,H}), used
     *                       when a frame's header says 0 because it is wider than 2040 pixels; 0 when none is announced
     * @param declaredHeight likewise for the height
     */
    public Rfc2435Depacketizer(int maxFrameSize, int declaredWidth, int declaredHeight) {
        this(maxFrameSize, DEFAULT_MAX_WIDTH, DEFAULT_MAX_HEIGHT, declaredWidth, declaredHeight);
    }

    /**
     * @param maxWidth  widest frame taken, whichever source gives its size; a wider one is rejected
     * @param maxHeight likewise for the height
     */
    public Rfc2435Depacketizer(int maxFrameSize, int maxWidth, int maxHeight, int declaredWidth, int declaredHeight) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        if (maxWidth < 1 || maxWidth > 65535 || maxHeight < 1 || maxHeight > 65535) {
            throw new IllegalArgumentException("maximum size " + maxWidth + "x" + maxHeight + " outside 1..65535");
        }
        if (declaredWidth < 0 || declaredWidth > 65535 || declaredHeight < 0 || declaredHeight > 65535) {
            throw new IllegalArgumentException("declared dimensions " + declaredWidth + "x" + declaredHeight
                    + " outside 0..65535");
        }
        this.maxFrameSize = maxFrameSize;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.declaredWidth = declaredWidth;
        this.declaredHeight = declaredHeight;
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new FrameAssembly(maxFrameSize);
        }
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
     * @throws MalformedRtpJpegPacketException when the payload or the extension is invalid, or contradicts its frame;
     *                                         the packet is not taken
     */
    public byte[] push(ByteBuffer packet, RtpHeader header) {
        int profile = header.extensionProfile();
        if (profile == OnvifJpegExtension.INITIAL_PROFILE) {
            long size = OnvifJpegExtension.frameSize(packet, header.extensionOffset(), header.extensionLength());
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
        return push(packet, header.payloadOffset(), header.payloadLength(), header.timestamp(), header.marker(),
                header.sequenceNumber());
    }

    /**
     * Takes the RFC 2435 payload of one RTP packet, for a caller that reads RTP headers itself (an ONVIF header
     * extension is then not seen).
     *
     * @return the complete JPEG when this packet finished a frame, otherwise {@code null}
     * @throws MalformedRtpJpegPacketException when the payload is invalid or contradicts its frame; the packet is not
     *                                         taken
     */
    public byte[] push(ByteBuffer packet, int payloadOffset, int payloadLength, int timestamp, boolean marker) {
        return push(packet, payloadOffset, payloadLength, timestamp, marker, 0);
    }

    private byte[] push(ByteBuffer packet, int payloadOffset, int payloadLength, int timestamp, boolean marker,
                        int sequenceNumber) {
        int at = readPacketHeader(packet, payloadOffset, payloadLength, timestamp);
        if (packetWidth == 0) {
            return null; // a later packet of a frame over 2040 pixels whose first packet, with its size, was not seen
        }
        int end = payloadOffset + payloadLength;
        FrameAssembly frame = find(timestamp);
        if ((long) packetOffset + (end - at) > maxFrameSize) {
            if (frame != null) {
                drop(frame);
            }
            throw new MalformedRtpJpegPacketException("fragment at offset " + packetOffset + " ends beyond the maximum "
                    + "frame size of " + maxFrameSize + " bytes");
        }
        if (frame == null) {
            if (isLate(timestamp)) {
                packetsLate++;
                return null;
            }
            frame = allocate(timestamp);
            frame.start(timestamp, packetType, packetQ, packetWidth, packetHeight, packetInterval);
            if (packetQ < QuantizationTables.MIN_IN_BAND_Q) {
                frame.tables = QuantizationTables.shared(packetQ);
            } else if (packetQ != Q_DYNAMIC && cachedTables[packetQ] != null) {
                byte[] cached = cachedTables[packetQ];
                frame.ownTables(cached, cached.length - 1, cached[cached.length - 1]);
            }
        } else if (!frame.matches(packetType, packetQ, packetWidth, packetHeight, packetInterval)) {
            throw new MalformedRtpJpegPacketException("packet of type " + packetType + ", Q " + packetQ + ", "
                    + packetWidth + "x" + packetHeight + ", restart interval " + packetInterval
                    + " contradicts its frame (type " + frame.type + ", Q " + frame.q + ", " + frame.width + "x"
                    + frame.height + ", restart interval " + frame.restartInterval + ")");
        }
        boolean merged;
        try {
            merged = frame.merge(packet, at, end - at, packetOffset, marker, packetRestartField, sequenceNumber);
        } catch (MalformedRtpJpegPacketException e) {
            drop(frame);
            throw e;
        }
        if (!merged) {
            packetsDuplicate++;
            return null;
        }
        frame.lastTouched = ++clock;
        if (packetOffset == 0 && packetQ >= QuantizationTables.MIN_IN_BAND_Q && !frame.contested()) {
            if (tablesLength > 0) {
                frame.ownTables(packet, tablesAt, tablesLength, tablesPrecision);
            } else { // checked to be cached; the frame may have started before they were
                byte[] cached = cachedTables[packetQ];
                frame.ownTables(cached, cached.length - 1, cached[cached.length - 1]);
            }
        }
        if (frame.complete()) {
            return handOut(frame, false);
        }
        return concealBefore(timestamp);
    }

    /**
     * Reads and checks the packet's RFC 2435 headers into the {@code packet...} fields, without touching any frame.
     *
     * @return the offset of the scan data
     */
    private int readPacketHeader(ByteBuffer packet, int payloadOffset, int payloadLength, int timestamp) {
        if (payloadLength < Rfc2435Frame.MAIN_HEADER_LENGTH) {
            throw new MalformedRtpJpegPacketException("RFC 2435 payload of " + payloadLength
                    + " bytes is shorter than its main header");
        }
        int at = payloadOffset + Rfc2435Frame.MAIN_HEADER_LENGTH;
        int end = payloadOffset + payloadLength;
        packetOffset = (packet.get(payloadOffset + 1) & 0xFF) << 16 | (packet.getShort(payloadOffset + 2) & 0xFFFF);
        packetType = packet.get(payloadOffset + 4) & 0xFF;
        packetQ = packet.get(payloadOffset + 5) & 0xFF;
        int baseType = packetType & ~JpegFrame.RESTART_TYPE_OFFSET;
        if (packetType >= 128 || baseType > 1) {
            throw new MalformedRtpJpegPacketException("RFC 2435 type " + packetType + " not supported (0, 1, 64, 65)");
        }
        if (packetQ == 0 || (packetQ > QuantizationTables.MAX_SCALED_Q && packetQ < QuantizationTables.MIN_IN_BAND_Q)) {
            throw new MalformedRtpJpegPacketException("reserved Q value " + packetQ);
        }
        readSize(packet, payloadOffset, timestamp);
        packetInterval = 0;
        packetRestartField = Rfc2435Frame.RESTART_WHOLE_FRAME;
        if (packetType >= JpegFrame.RESTART_TYPE_OFFSET) {
            if (at + Rfc2435Frame.RESTART_HEADER_LENGTH > end) {
                throw new MalformedRtpJpegPacketException("restart marker header runs past the end of the packet");
            }
            packetInterval = packet.getShort(at) & 0xFFFF;
            if (packetInterval == 0) {
                throw new MalformedRtpJpegPacketException("restart interval 0 in a restart marker header");
            }
            packetRestartField = packet.getShort(at + 2) & 0xFFFF;
            at += Rfc2435Frame.RESTART_HEADER_LENGTH;
        }
        tablesLength = 0;
        if (packetOffset == 0 && packetQ >= QuantizationTables.MIN_IN_BAND_Q) {
            at = readTablesHeader(packet, at, end);
        }
        return at;
    }

    /** The frame's size, from the extension, the RFC 2435 header or the declared size, within the limits. */
    private void readSize(ByteBuffer packet, int payloadOffset, int timestamp) {
        int frameWidth = (packet.get(payloadOffset + 6) & 0xFF) << 3;
        int frameHeight = (packet.get(payloadOffset + 7) & 0xFF) << 3;
        String source = "RFC 2435 header";
        boolean ownExtension = frameExtensionSize >= 0 && extensionTimestamp == timestamp;
        if (ownExtension) {
            frameWidth = (int) (frameExtensionSize >>> 16);
            frameHeight = (int) (frameExtensionSize & 0xFFFF);
            source = "ONVIF JPEG header extension";
        }
        if (frameWidth == 0 || frameHeight == 0) {
            boolean fromExtension = extensionWidth != 0 && extensionHeight != 0;
            if (frameWidth == 0) {
                frameWidth = fromExtension ? extensionWidth : declaredWidth;
            }
            if (frameHeight == 0) {
                frameHeight = fromExtension ? extensionHeight : declaredHeight;
            }
            source = fromExtension ? "ONVIF JPEG header extension" : "declared a=x-dimensions";
        }
        if ((frameWidth == 0 || frameHeight == 0) && packetOffset != 0) {
            packetWidth = 0;
            return;
        }
        if (frameWidth == 0 || frameHeight == 0) {
            throw new MalformedRtpJpegPacketException("frame width or height 0 (over 2040 pixels) and no size declared "
                    + "(SDP a=x-dimensions) or sent (ONVIF JPEG header extension)");
        }
        if (frameWidth > maxWidth || frameHeight > maxHeight) {
            throw new MalformedRtpJpegPacketException("frame size " + frameWidth + "x" + frameHeight + " from the "
                    + source + " exceeds the limit of " + maxWidth + "x" + maxHeight + " (maxWidth, maxHeight)");
        }
        if (ownExtension) {
            extensionWidth = frameWidth; // only a size within the limits serves later frames
            extensionHeight = frameHeight;
        }
        packetWidth = frameWidth;
        packetHeight = frameHeight;
    }

    /** Checks the quantization table header of a Q 128..255 first packet; returns the offset after the tables. */
    private int readTablesHeader(ByteBuffer packet, int at, int end) {
        if (at + Rfc2435Frame.QUANTIZATION_HEADER_LENGTH > end) {
            throw new MalformedRtpJpegPacketException("quantization table header runs past the end of the packet");
        }
        int tablePrecision = packet.get(at + 1) & 0xFF;
        int length = packet.getShort(at + 2) & 0xFFFF;
        at += Rfc2435Frame.QUANTIZATION_HEADER_LENGTH;
        if (length == 0) {
            if (packetQ == Q_DYNAMIC || cachedTables[packetQ] == null) {
                throw new MalformedRtpJpegPacketException("Q " + packetQ + " without in-band tables and none cached");
            }
            return at;
        }
        int expected = tableLength(tablePrecision, 0) + tableLength(tablePrecision, 1);
        if (tablePrecision > 3 || length != expected || at + length > end) {
            throw new MalformedRtpJpegPacketException("quantization tables of " + length + " bytes with precision "
                    + tablePrecision + " (expected two tables, " + expected + " bytes, inside the packet)");
        }
        tablesAt = at;
        tablesLength = length;
        tablesPrecision = tablePrecision;
        return at + length;
    }

    private FrameAssembly find(int timestamp) {
        for (FrameAssembly frame : frames) {
            if (frame.inUse && frame.timestamp == timestamp) {
                return frame;
            }
        }
        return null;
    }

    /** A packet of one of the last frames handed out. */
    private boolean isLate(int timestamp) {
        for (int i = Math.min(recentCount, RECENT_FRAMES) - 1; i >= 0; i--) {
            if (recentTimestamps[i] == timestamp) {
                return true;
            }
        }
        return false;
    }

    /** Ahead of the last frame handed out by at most {@link #MAX_TIMESTAMP_JUMP}: a likely next frame. */
    private boolean isPlausible(int timestamp) {
        int ahead = timestamp - lastTimestamp;
        return !handedOut || ahead > 0 && ahead <= MAX_TIMESTAMP_JUMP;
    }

    /** A free slot, or the one whose frame is the least likely to complete, dropped. */
    private FrameAssembly allocate(int timestamp) {
        FrameAssembly victim = null;
        for (FrameAssembly frame : frames) {
            if (!frame.inUse) {
                return frame;
            }
            if (victim == null || evictsBefore(frame, victim)) {
                victim = frame;
            }
        }
        drop(victim);
        return victim;
    }

    private boolean evictsBefore(FrameAssembly frame, FrameAssembly other) {
        boolean plausible = isPlausible(frame.timestamp) && !frame.contested();
        boolean otherPlausible = isPlausible(other.timestamp) && !other.contested();
        if (plausible != otherPlausible) {
            return !plausible;
        }
        if (frame.covered() != other.covered()) {
            return frame.covered() < other.covered();
        }
        return frame.lastTouched < other.lastTouched;
    }

    /**
     * A packet of a later frame arrived: the oldest earlier frame whose marker came but that lacks packets is handed
     * out with its lost intervals replaced, when it can be; those that cannot be wait until a later frame is handed
     * out or their slot is needed.
     */
    private byte[] concealBefore(int timestamp) {
        FrameAssembly oldest = null;
        for (FrameAssembly frame : frames) {
            if (frame.inUse && frame.end >= 0 && frame.aligned && !frame.contested() && frame.tables != null
                    && frame.timestamp - timestamp < 0 && (oldest == null || frame.timestamp - oldest.timestamp < 0)) {
                oldest = frame;
            }
        }
        return oldest == null || !conceal(oldest) ? null : handOut(oldest, true);
    }

    /** Writes the frame's scan with its lost intervals replaced into {@link #concealedScan}. */
    private boolean conceal(FrameAssembly frame) {
        int total = frame.totalIntervals();
        int maxConcealed = total / MAX_CONCEALED_FRACTION_DENOMINATOR;
        int bound = (int) Math.min(maxFrameSize, frame.concealedScanBound());
        if (concealedScan.length < bound) {
            concealedScan = new byte[Math.max(bound, Math.min(maxFrameSize, 2 * concealedScan.length))];
        }
        int length = frame.writeConcealedScan(concealedScan, maxConcealed, concealedCount);
        if (length < 0) {
            drop(frame);
            return false;
        }
        concealedScanLength = length;
        return true;
    }

    private byte[] handOut(FrameAssembly frame, boolean concealed) {
        for (FrameAssembly older : frames) {
            if (older != frame && older.inUse && older.timestamp - frame.timestamp < 0) {
                drop(older);
            }
        }
        handedOut = true;
        lastTimestamp = frame.timestamp;
        recentTimestamps[recentCount++ % RECENT_FRAMES] = frame.timestamp;
        width = frame.width;
        height = frame.height;
        type = frame.type;
        q = frame.q;
        firstSequenceNumber = frame.firstSequenceNumber;
        lastSequenceNumber = frame.lastSequenceNumber;
        concealedIntervals = concealed ? concealedCount[0] : 0;
        framesCompleted++;
        if (concealedIntervals > 0) {
            framesConcealed++;
        }
        if (frame.q >= QuantizationTables.MIN_IN_BAND_Q && frame.q != Q_DYNAMIC && frame.started()) {
            cacheTables(frame);
        }
        byte[] jpeg = buildJpeg(frame, concealed);
        frame.release();
        return jpeg;
    }

    /** Keeps a whole frame's Q 128..254 tables for later frames that omit them. */
    private void cacheTables(FrameAssembly frame) {
        int length = tableLength(frame.precision, 0) + tableLength(frame.precision, 1);
        byte[] cached = cachedTables[frame.q];
        if (cached == null || cached.length != length + 1) {
            cached = new byte[length + 1]; // once per Q and precision
            cachedTables[frame.q] = cached;
        }
        System.arraycopy(frame.tables, 0, cached, 0, length);
        cached[length] = (byte) frame.precision; // kept beside the tables
    }

    private static int tableLength(int precisionBits, int table) {
        return (precisionBits >> table & 1) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    private byte[] buildJpeg(FrameAssembly frame, boolean concealed) {
        int scanLength = concealed ? concealedScanLength : frame.end;
        boolean restartMarkers = frame.type >= JpegFrame.RESTART_TYPE_OFFSET;
        int headerLength = JpegHeaderWriter.length(tableLength(frame.precision, 0), tableLength(frame.precision, 1),
                restartMarkers);
        boolean endsWithEoi = scanLength >= 2 && (concealed
                ? concealedScan[scanLength - 2] == (byte) 0xFF && concealedScan[scanLength - 1] == (byte) 0xD9
                : frame.endsWithEoi());
        byte[] jpeg = new byte[headerLength + scanLength + (endsWithEoi ? 0 : 2)];
        int at = JpegHeaderWriter.write(jpeg, 0,
                (frame.type & 1) == 1 ? ChromaSubsampling.YCBCR_420 : ChromaSubsampling.YCBCR_422, frame.width,
                frame.height, restartMarkers, frame.restartInterval, frame.tables, 0, frame.precision);
        if (concealed) {
            System.arraycopy(concealedScan, 0, jpeg, at, scanLength);
        } else {
            frame.copyScan(jpeg, at);
        }
        if (!endsWithEoi) {
            jpeg[jpeg.length - 2] = (byte) 0xFF;
            jpeg[jpeg.length - 1] = (byte) 0xD9;
        }
        return jpeg;
    }

    private void drop(FrameAssembly frame) {
        if (frame.inUse) {
            frame.release();
            if (handedOut || frame.started()) {
                framesIncomplete++; // before the first frame, one without its start is a join mid-frame, not a loss
            }
        }
    }

    /**
     * Forgets the frames in assembly and the stream's timestamps, for a new sender whose timestamps are unrelated;
     * the frames dropped are counted.
     */
    public void newStream() {
        for (FrameAssembly frame : frames) {
            drop(frame);
        }
        handedOut = false;
        recentCount = 0;
    }

    /** Frames handed out, whole or with replaced intervals. */
    public long framesCompleted() {
        return framesCompleted;
    }

    /** Frames started but dropped: a lost fragment, a contested fragment, or a frame over the size limit. */
    public long framesIncomplete() {
        return framesIncomplete;
    }

    /** Frames handed out with lost restart intervals replaced by mid-gray ones; included in {@link #framesCompleted}. */
    public long framesConcealed() {
        return framesConcealed;
    }

    /** Packets of a frame already handed out or given up. */
    public long packetsLate() {
        return packetsLate;
    }

    /** Exact copies of a fragment already held. */
    public long packetsDuplicate() {
        return packetsDuplicate;
    }

    /** Restart intervals replaced in the last frame handed out; 0 when it arrived whole. */
    public int concealedIntervals() {
        return concealedIntervals;
    }

    /** Width in pixels of the last frame handed out: a multiple of 8, or the extension's or the declared width. */
    public int width() {
        return width;
    }

    /** Height in pixels of the last frame handed out: a multiple of 8, or the extension's or the declared height. */
    public int height() {
        return height;
    }

    /** RFC 2435 type of the last frame handed out. */
    public int type() {
        return type;
    }

    /** Q of the last frame handed out. */
    public int q() {
        return q;
    }

    /** RTP timestamp of the last frame handed out. */
    public int timestamp() {
        return lastTimestamp;
    }

    /** Sequence number of the last frame's first packet (offset 0), or -1 when it was lost and replaced. */
    public int firstSequenceNumber() {
        return firstSequenceNumber;
    }

    /** Sequence number of the last frame's marker packet. */
    public int lastSequenceNumber() {
        return lastSequenceNumber;
    }
}
