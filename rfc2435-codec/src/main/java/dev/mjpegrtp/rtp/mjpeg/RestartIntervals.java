package dev.mjpegrtp.rtp.mjpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import dev.mjpegrtp.jpeg.JpegMarker;

/**
 * Where the restart intervals of a scan begin, found in one pass over its entropy-coded data, so that packets can
 * start on interval boundaries (RFC 2435 §3.1.7) and a receiver can decode the rest of a frame after a loss.
 *
 * @param scanEnd offset of the marker that ends the scan
 * @param offsets start of each interval relative to the scan (the first is 0), or {@code null} when the scan does not
 *                hold exactly the restart markers its DRI implies, or more intervals than the 14-bit restart count
 *                can number; packets then cannot be aligned on intervals
 */
record RestartIntervals(int scanEnd, int[] offsets) {

    /** 0x3FFF with F = L = 1 means "not aligned", so aligned counts stay below it. */
    static final int MAX_ALIGNED_INTERVALS = 0x3FFF;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Bytes tested per branch: eight longs. */
    private static final int BLOCK = 8 * Long.BYTES;

    /**
     * @param end      end of the JPEG in {@code data}
     * @param expected restart intervals the frame's MCU count and DRI imply
     * @throws InvalidJpegException when no marker ends the scan
     */
    static RestartIntervals find(byte[] data, int scanOffset, int end, int expected) {
        int[] offsets = expected <= MAX_ALIGNED_INTERVALS ? new int[expected] : null;
        int markers = 0;
        int lastMarkerEnd = -1;
        int at = scanOffset;
        int last = end - 1;
        while (at < last) {
            at = nextFF(data, at, last);
            if (at == last) {
                break;
            }
            int marker = at + 1;
            while (marker < last && data[marker] == (byte) 0xFF) {
                marker++; // fill bytes before a marker
            }
            int code = data[marker] & 0xFF;
            if (code == 0) {
                at = marker + 1; // a stuffed 0xFF data byte
            } else if (JpegMarker.isRestart(code)) {
                markers++;
                lastMarkerEnd = marker + 1;
                if (offsets != null && markers < offsets.length) {
                    offsets[markers] = lastMarkerEnd - scanOffset;
                }
                at = lastMarkerEnd;
            } else {
                // Some encoders close the scan with one more RST; its empty interval belongs to no packet.
                boolean aligned = markers == expected - 1 || (markers == expected && lastMarkerEnd == at);
                return new RestartIntervals(at, aligned ? offsets : null);
            }
        }
        throw new InvalidJpegException("truncated JPEG: no EOI marker after the scan data");
    }

    /**
     * The first 0xFF byte in {@code data[from..limit)}, or {@code limit}. This loop reads every byte of the scan, and
     * entropy-coded data holds a 0xFF only about every 256 bytes, so it tests a {@link #BLOCK} of eight longs with one
     * branch, then finds the byte within the long that holds it.
     */
    private static int nextFF(byte[] data, int from, int limit) {
        int at = from;
        for (int lastBlock = limit - BLOCK; at <= lastBlock; at += BLOCK) {
            long carries = 0;
            for (int i = 0; i < BLOCK; i += Long.BYTES) {
                carries |= carriesOut((long) LONGS.get(data, at + i));
            }
            if ((carries & HIGH_BITS) != 0) {
                break;
            }
        }
        for (int lastLong = limit - Long.BYTES; at <= lastLong; at += Long.BYTES) {
            long ffBytes = carriesOut((long) LONGS.get(data, at)) & HIGH_BITS;
            if (ffBytes != 0) {
                return at + Long.numberOfTrailingZeros(ffBytes) / Byte.SIZE;
            }
        }
        while (at < limit && data[at] != (byte) 0xFF) {
            at++;
        }
        return at;
    }

    /**
     * Has the high bit of each 0xFF byte of {@code bytes} (little-endian) set, and of no byte below the first 0xFF:
     * adding 1 to a byte carries out of it exactly when it is 0xFF, and {@code bytes & ~(bytes + 0x01..01)} keeps the
     * high bit of exactly those bytes. A carry out of a 0xFF byte can flag the byte above it too, but never one below,
     * so the lowest flagged byte is always the first 0xFF. Only the high bits ({@link #HIGH_BITS}) mean anything.
     */
    private static long carriesOut(long bytes) {
        return bytes & ~(bytes + ONES);
    }
}
