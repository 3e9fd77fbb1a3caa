package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.mjpegrtp.jpeg.JpegMarker;

/**
 * The fragments of one frame in assembly, keyed by fragment offset, whatever order they arrive in. The frame's header
 * (type, Q, size, restart interval, tables) is fixed by its first packet; the depacketizer merges only packets that
 * agree with it. Fragments never overlap: an exact copy of one already held is a duplicate, anything else that
 * overlaps, or lies beyond the end the marker packet set, makes the frame {@link #contested()}, and it is never
 * handed out.
 *
 * <p>Memory grows with what arrived: the bytes, stored in arrival order, up to {@code maxFrameSize}, and an index of
 * 16 bytes a fragment, up to a fixed number of fragments. Both are kept for the next frame that takes this slot.
 */
final class FrameAssembly {

    private static final int INITIAL_CAPACITY = 16 * 1024;
    /**
     * Most bytes one 8x8 block's entropy-coded data can take: a DC code of 16 bits and 11 magnitude bits, 63 AC codes
     * of 16 bits and 10, every byte stuffed with a zero (27 + 63 x 26 bits, doubled, rounded up).
     */
    private static final int MAX_BLOCK_BYTES = 420;
    private static final int INITIAL_FRAGMENTS = 64;

    private final int maxFrameSize;
    private final int maxFragments;

    boolean inUse;
    int timestamp;
    /** A counter value of the depacketizer's when a packet was last merged, for least-recently-used eviction. */
    long lastTouched;
    int type;
    int q;
    int width;
    int height;
    int restartInterval;
    /** Tables of Q 128..255 from the offset 0 packet, or the shared or cached ones; null while unknown. */
    byte[] tables;
    int precision;
    /** Offset after the last byte, set by the marker packet; -1 until it arrives. */
    int end;
    int firstSequenceNumber;
    int lastSequenceNumber;
    /** Whether every fragment carried a restart field with a count (RFC 2435 §3.1.7): lost intervals can be replaced. */
    boolean aligned;
    /** Bytes the frame's scan can take at most: its blocks' worst case, or {@code maxFrameSize} when smaller. */
    private int byteLimit;
    private boolean contested;
    private int covered;

    private final byte[] ownTables = new byte[4 * QuantizationTables.TABLE_SIZE];
    private byte[] data = new byte[0];
    private int dataLength;
    /** Fragments sorted by offset: offset, length, where the bytes are in {@link #data}, and the restart field. */
    private int[] offsets = new int[0];
    private int[] lengths = new int[0];
    private int[] positions = new int[0];
    private int[] restartFields = new int[0];
    private int count;

    FrameAssembly(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
        // a fragment per 128 bytes on average: far smaller packets than any sender's are an attack on the index
        this.maxFragments = Math.max(1024, maxFrameSize / 128);
    }

    void start(int frameTimestamp, int frameType, int frameQ, int frameWidth, int frameHeight, int interval) {
        inUse = true;
        timestamp = frameTimestamp;
        type = frameType;
        q = frameQ;
        width = frameWidth;
        height = frameHeight;
        restartInterval = interval;
        tables = null;
        precision = 0;
        end = -1;
        firstSequenceNumber = -1;
        lastSequenceNumber = -1;
        aligned = frameType >= JpegFrame.RESTART_TYPE_OFFSET;
        int blocks = (frameType & 1) == 1 ? 6 : 4;
        byteLimit = (int) Math.min(maxFrameSize, mcuCount() * (blocks * MAX_BLOCK_BYTES + 2) + 2);
        contested = false;
        covered = 0;
        dataLength = 0;
        count = 0;
    }

    void release() {
        inUse = false;
    }

    boolean matches(int frameType, int frameQ, int frameWidth, int frameHeight, int interval) {
        return type == frameType && q == frameQ && width == frameWidth && height == frameHeight
                && restartInterval == interval;
    }

    /** Keeps in-band tables of the offset 0 packet, which this frame then owns. */
    void ownTables(ByteBuffer packet, int at, int length, int tablePrecision) {
        packet.get(at, ownTables, 0, length);
        tables = ownTables;
        precision = tablePrecision;
    }

    /** Keeps a copy of tables cached from an earlier frame, so that a later change of the cache does not reach it. */
    void ownTables(byte[] cached, int length, int tablePrecision) {
        System.arraycopy(cached, 0, ownTables, 0, length);
        tables = ownTables;
        precision = tablePrecision;
    }

    /** Whether the packet at offset 0 arrived. */
    boolean started() {
        return count > 0 && offsets[0] == 0;
    }

    /** Whether the marker packet and every byte before it arrived, with nothing contradicting. */
    boolean complete() {
        return !contested && end >= 0 && covered == end;
    }

    boolean contested() {
        return contested;
    }

    int covered() {
        return covered;
    }

    /**
     * Merges the fragment at {@code offset}. Returns false for an exact duplicate of one already held (nothing
     * changes); a fragment that overlaps another differently, or contradicts the frame's end, contests the frame.
     *
     * @throws MalformedRtpJpegPacketException when the frame would hold more than {@code maxFrameSize} bytes or
     *                                         fragments; the caller drops the frame
     */
    boolean merge(ByteBuffer packet, int at, int length, int offset, boolean marker, int restartField, int sequence) {
        if (contested) {
            return true;
        }
        int fragmentEnd = offset + length;
        if (fragmentEnd > byteLimit) {
            throw new MalformedRtpJpegPacketException("fragment ends at byte " + fragmentEnd + ", beyond the " + byteLimit
                    + " bytes a " + width + "x" + height + " frame can take");
        }
        if ((end >= 0 && (fragmentEnd > end || marker && fragmentEnd != end))
                || (marker && count > 0 && offsets[count - 1] + lengths[count - 1] > fragmentEnd)) {
            contested = true; // a byte beyond the end, or two different ends
            return true;
        }
        int index = insertionPoint(offset);
        if (index < count && offsets[index] == offset && lengths[index] == length) {
            if (equalBytes(packet, at, index)) {
                return false;
            }
            contested = true;
            return true;
        }
        boolean overlapsBefore = index > 0 && offsets[index - 1] + lengths[index - 1] > offset;
        boolean overlapsAfter = index < count && offsets[index] < fragmentEnd;
        if (overlapsBefore || overlapsAfter || length == 0) {
            contested = true;
            return true;
        }
        if (count == maxFragments) {
            throw new MalformedRtpJpegPacketException("frame of more than " + maxFragments + " fragments");
        }
        ensureCapacity(dataLength + length);
        ensureFragments(count + 1);
        int moved = count - index;
        System.arraycopy(offsets, index, offsets, index + 1, moved);
        System.arraycopy(lengths, index, lengths, index + 1, moved);
        System.arraycopy(positions, index, positions, index + 1, moved);
        System.arraycopy(restartFields, index, restartFields, index + 1, moved);
        offsets[index] = offset;
        lengths[index] = length;
        positions[index] = dataLength;
        restartFields[index] = restartField;
        count++;
        packet.get(at, data, dataLength, length);
        dataLength += length;
        covered += length;
        aligned &= restartField != Rfc2435Frame.RESTART_WHOLE_FRAME;
        if (offset == 0) {
            firstSequenceNumber = sequence;
        }
        if (marker) {
            end = fragmentEnd;
            lastSequenceNumber = sequence;
        }
        return true;
    }

    private boolean equalBytes(ByteBuffer packet, int at, int index) {
        int position = positions[index];
        for (int i = 0; i < lengths[index]; i++) {
            if (packet.get(at + i) != data[position + i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first fragment whose offset is not below {@code offset}. */
    private int insertionPoint(int offset) {
        int index = Arrays.binarySearch(offsets, 0, count, offset);
        return index >= 0 ? index : -index - 1;
    }

    /** Whether the scan of a {@link #complete()} frame ends in EOI. */
    boolean endsWithEoi() {
        return scanByte(end - 2) == (byte) 0xFF && scanByte(end - 1) == (byte) 0xD9;
    }

    private byte scanByte(int offset) {
        int index = Arrays.binarySearch(offsets, 0, count, offset);
        index = index >= 0 ? index : -index - 2;
        return data[positions[index] + offset - offsets[index]];
    }

    /** Bytes {@link #writeConcealedScan} writes at most: those that arrived, and every interval replaced. */
    long concealedScanBound() {
        int total = totalIntervals();
        return (long) covered + neutralLength(0, total, total, (int) Math.min(Integer.MAX_VALUE, mcuCount()));
    }

    /** Copies the whole scan, fragment after fragment, to {@code out}; returns the offset after it. */
    int copyScan(byte[] out, int at) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(data, positions[i], out, at, lengths[i]);
            at += lengths[i];
        }
        return at;
    }

    /**
     * Writes the scan of a restart-aligned frame to {@code out}: the complete chunks of intervals that arrived (F to
     * L, contiguous), and {@link NeutralIntervals mid-gray intervals} for the rest.
     *
     * @return the scan length, or -1 when the chunks are inconsistent, {@code out} too small, or more than
     *         {@code maxConcealed} intervals would be replaced
     */
    int writeConcealedScan(byte[] out, int maxConcealed, int[] concealed) {
        int total = totalIntervals();
        int mcus = (int) Math.min(Integer.MAX_VALUE, mcuCount());
        int kept = 0;
        int replaced = 0;
        int at = 0;
        int i = 0;
        while (i < count) {
            int field = restartFields[i];
            if ((field & Rfc2435Frame.RESTART_FIRST) == 0) {
                i++;
                continue;
            }
            int last = i;
            while ((restartFields[last] & Rfc2435Frame.RESTART_LAST) == 0 && last + 1 < count
                    && offsets[last + 1] == offsets[last] + lengths[last]
                    && (restartFields[last + 1] & Rfc2435Frame.RESTART_FIRST) == 0) {
                last++;
            }
            if ((restartFields[last] & Rfc2435Frame.RESTART_LAST) == 0) {
                i = last + 1; // a chunk cut short by a loss
                continue;
            }
            int first = field & Rfc2435Frame.RESTART_COUNT_MASK;
            int chunkEnd = offsets[last] + lengths[last];
            int markers = 0;
            for (int f = i; f <= last; f++) {
                markers += restartMarkers(positions[f], lengths[f]);
            }
            int intervals = chunkEnd == end ? markers + 1 : markers;
            if (first < kept || first + intervals > total || intervals == 0) {
                return -1;
            }
            replaced += first - kept;
            if (replaced > maxConcealed) {
                return -1;
            }
            int chunkLength = chunkEnd - offsets[i];
            int needed = at + neutralLength(kept, first, total, mcus) + chunkLength;
            if (needed > out.length) {
                return -1;
            }
            at = writeNeutral(out, at, kept, first, total, mcus);
            for (int f = i; f <= last; f++) {
                System.arraycopy(data, positions[f], out, at, lengths[f]);
                at += lengths[f];
            }
            kept = first + intervals;
            i = last + 1;
        }
        replaced += total - kept;
        if (replaced > maxConcealed || at + neutralLength(kept, total, total, mcus) > out.length) {
            return -1;
        }
        at = writeNeutral(out, at, kept, total, total, mcus);
        concealed[0] = replaced;
        return at;
    }

    private int restartMarkers(int from, int length) {
        int markers = 0;
        for (int at = from; at + 1 < from + length; at++) {
            if (data[at] == (byte) 0xFF && JpegMarker.isRestart(data[at + 1] & 0xFF)) {
                markers++;
            }
        }
        return markers;
    }

    private int neutralLength(int from, int upTo, int total, int mcus) {
        long length = 0;
        for (int interval = from; interval < upTo; interval++) {
            length += NeutralIntervals.maxLength(type, intervalMcus(interval, total, mcus));
        }
        return (int) Math.min(Integer.MAX_VALUE, length);
    }

    private int writeNeutral(byte[] out, int at, int from, int upTo, int total, int mcus) {
        for (int interval = from; interval < upTo; interval++) {
            at = NeutralIntervals.write(out, at, type, intervalMcus(interval, total, mcus), interval, interval == total - 1);
        }
        return at;
    }

    private int intervalMcus(int interval, int total, int mcus) {
        return interval == total - 1 ? mcus - interval * restartInterval : restartInterval;
    }

    private long mcuCount() {
        int mcuHeight = (type & 1) == 1 ? 16 : 8;
        return (long) ((width + 15) / 16) * ((height + mcuHeight - 1) / mcuHeight);
    }

    int totalIntervals() {
        return (int) Math.min(Integer.MAX_VALUE, (mcuCount() + restartInterval - 1) / restartInterval);
    }

    private void ensureCapacity(int needed) {
        if (needed > maxFrameSize) {
            throw new MalformedRtpJpegPacketException("frame exceeds the maximum frame size of " + maxFrameSize + " bytes");
        }
        if (needed > data.length) {
            int capacity = Math.max(INITIAL_CAPACITY, data.length);
            while (capacity < needed) {
                capacity = (int) Math.min((long) capacity * 2, maxFrameSize);
            }
            data = Arrays.copyOf(data, capacity);
        }
    }

    private void ensureFragments(int needed) {
        if (needed > offsets.length) {
            int capacity = Math.min(maxFragments, Math.max(INITIAL_FRAGMENTS, offsets.length * 2));
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            positions = Arrays.copyOf(positions, capacity);
            restartFields = Arrays.copyOf(restartFields, capacity);
        }
    }
}
