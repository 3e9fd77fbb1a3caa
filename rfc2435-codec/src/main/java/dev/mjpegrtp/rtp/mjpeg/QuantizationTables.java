package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;

import dev.mjpegrtp.jpeg.JpegStandardTables;

/**
 * The quantization tables RFC 2435 Appendix A derives from a Q factor of 1..99 (the libjpeg quality scaling of the
 * Annex K tables), in the zig-zag order of a DQT segment, and the reverse look-up a sender uses to announce a frame's
 * tables by their Q alone.
 *
 * <p>Appendix A's sample code indexes the Annex K tables in natural order; GStreamer, FFmpeg and libjpeg all store
 * the result in zig-zag order, and so do we, because that is the order the rebuilt DQT segment needs.
 */
public final class QuantizationTables {

    /** Q values 1..99 select the Appendix A tables (RFC 2435 §3.1.4); 0 and 100..127 are reserved. */
    public static final int MIN_SCALED_Q = 1;
    public static final int MAX_SCALED_Q = 99;
    /** Q values 128..255 mean the tables travel in-band (RFC 2435 §3.1.8). */
    public static final int MIN_IN_BAND_Q = 128;
    /** Entries in one table. */
    public static final int TABLE_SIZE = 64;

    private static final byte[][] BY_Q = new byte[MAX_SCALED_Q + 1][];

    static {
        for (int q = MIN_SCALED_Q; q <= MAX_SCALED_Q; q++) {
            BY_Q[q] = compute(q);
        }
    }

    private QuantizationTables() {
    }

    /**
     * Luma table then chroma table, 64 8-bit entries each in zig-zag order, for {@code q} in 1..99.
     * Returns a fresh copy: callers may keep or change it.
     */
    public static byte[] forQ(int q) {
        return shared(q).clone();
    }

    /** As {@link #forQ(int)} without the copy; the array must not be modified. */
    static byte[] shared(int q) {
        if (q < MIN_SCALED_Q || q > MAX_SCALED_Q) {
            throw new IllegalArgumentException("Q " + q + " has no Appendix A tables (1.." + MAX_SCALED_Q + ")");
        }
        return BY_Q[q];
    }

    /**
     * The Q in 1..99 whose Appendix A tables equal the given 8-bit luma and chroma tables (64 bytes each, zig-zag
     * order), or 0 when none does. A match lets the sender omit the tables from the wire.
     */
    public static int matchingQ(byte[] data, int lumaOffset, int chromaOffset) {
        for (int q = MIN_SCALED_Q; q <= MAX_SCALED_Q; q++) {
            byte[] tables = BY_Q[q];
            // The DC entry differs between most neighbouring Q values: a cheap first filter.
            if (tables[0] == data[lumaOffset]
                    && Arrays.equals(tables, 0, TABLE_SIZE, data, lumaOffset, lumaOffset + TABLE_SIZE)
                    && Arrays.equals(tables, TABLE_SIZE, 2 * TABLE_SIZE, data, chromaOffset, chromaOffset + TABLE_SIZE)) {
                return q;
            }
        }
        return 0;
    }

    /**
     * The Q in 1..99 whose Appendix A luma table equals the given 8-bit table (64 bytes, zig-zag order), or 0 when
     * none does; for a grayscale image, which has no chroma table of its own.
     */
    static int matchingLumaQ(byte[] data, int lumaOffset) {
        for (int q = MIN_SCALED_Q; q <= MAX_SCALED_Q; q++) {
            if (Arrays.equals(BY_Q[q], 0, TABLE_SIZE, data, lumaOffset, lumaOffset + TABLE_SIZE)) {
                return q;
            }
        }
        return 0;
    }

    private static byte[] compute(int q) {
        // RFC 2435 Appendix A, MakeTables(): the libjpeg quality-to-scale mapping.
        int scale = q < 50 ? 5000 / q : 200 - q * 2;
        byte[] tables = new byte[2 * TABLE_SIZE];
        for (int i = 0; i < TABLE_SIZE; i++) {
            tables[i] = (byte) clamp((JpegStandardTables.lumaQuantizer(i) * scale + 50) / 100);
            tables[TABLE_SIZE + i] = (byte) clamp((JpegStandardTables.chromaQuantizer(i) * scale + 50) / 100);
        }
        return tables;
    }

    /** Appendix A limits the quantizers to 1..255 so that they fit 8-bit tables. */
    private static int clamp(int quantizer) {
        return Math.max(1, Math.min(255, quantizer));
    }
}
