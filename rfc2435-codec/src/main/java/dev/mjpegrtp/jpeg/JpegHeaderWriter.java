package dev.mjpegrtp.jpeg;

import java.nio.ByteBuffer;

/**
 * Writes the headers of a YCbCr JPEG in one of the {@link ChromaSubsampling} layouts, coded with the Annex K Huffman
 * tables: SOI, DQT, DRI, SOF, the four Huffman tables and SOS. These are the headers RFC 2435 leaves off the wire
 * (its Appendix B, MakeHeaders), which a receiver rebuilds for the scan it reassembled, and the headers of what
 * {@link JpegTranscoder} makes.
 */
public final class JpegHeaderWriter {

    private static final int SOF_LENGTH = 17;
    private static final int SOS_LENGTH = 12;
    private static final int DRI_SEGMENT = 6;
    private static final int DHT_LENGTH = 2 + 4 * 17
            + JpegStandardTables.LUMA_DC_VALUES.length + JpegStandardTables.LUMA_AC_VALUES.length
            + JpegStandardTables.CHROMA_DC_VALUES.length + JpegStandardTables.CHROMA_AC_VALUES.length;

    private JpegHeaderWriter() {
    }

    /**
     * Bytes {@link #write} produces for tables of the given lengths (64 or 128 each), with a DRI segment when
     * {@code restartMarkers}.
     */
    public static int length(int lumaTableLength, int chromaTableLength, boolean restartMarkers) {
        return 2 // SOI
                + 4 + 2 + lumaTableLength + chromaTableLength // DQT
                + (restartMarkers ? DRI_SEGMENT : 0)
                + 2 + SOF_LENGTH
                + 2 + DHT_LENGTH
                + 2 + SOS_LENGTH;
    }

    /**
     * Writes the headers into {@code out} at {@code offset}; returns the offset after them.
     *
     * @param restartMarkers  whether to write a DRI segment, of {@code restartInterval} MCUs
     * @param tables          luma table then chroma table, zig-zag order, starting at {@code tablesOffset}
     * @param precision       bit 0 set for a 16-bit luma table, bit 1 for chroma (as RFC 2435's precision field)
     */
    public static int write(byte[] out, int offset, ChromaSubsampling subsampling, int width, int height,
                            boolean restartMarkers, int restartInterval, byte[] tables, int tablesOffset,
                            int precision) {
        ByteBuffer buffer = ByteBuffer.wrap(out, offset, out.length - offset);
        write(buffer, subsampling, width, height, restartMarkers, restartInterval, tables, tablesOffset,
                tablesOffset + tableLength(precision, 0), precision);
        return buffer.position();
    }

    /**
     * Writes the headers at {@code out}'s position and advances it, for a caller whose JPEG goes straight into a
     * buffer of its own (a network buffer) and whose tables lie apart, as in the JPEG they were parsed from.
     * {@code out} must be big-endian (the default).
     *
     * @param restartMarkers     whether to write a DRI segment, of {@code restartInterval} MCUs
     * @param tables             where both tables are, zig-zag order
     * @param lumaTableOffset    the luma table's offset in {@code tables}
     * @param chromaTableOffset  the chroma table's offset in {@code tables}
     * @param precision          bit 0 set for a 16-bit luma table, bit 1 for chroma (as RFC 2435's precision field)
     */
    public static void write(ByteBuffer out, ChromaSubsampling subsampling, int width, int height,
                             boolean restartMarkers, int restartInterval, byte[] tables, int lumaTableOffset,
                             int chromaTableOffset, int precision) {
        int lumaLength = tableLength(precision, 0);
        int chromaLength = tableLength(precision, 1);
        marker(out, 0xD8); // SOI

        marker(out, 0xDB); // DQT: both tables in one segment
        out.putShort((short) (2 + 2 + lumaLength + chromaLength));
        out.put((byte) ((precision & 1) << 4));
        out.put(tables, lumaTableOffset, lumaLength);
        out.put((byte) ((precision & 2) << 3 | 1));
        out.put(tables, chromaTableOffset, chromaLength);

        if (restartMarkers) {
            marker(out, 0xDD); // DRI
            out.putShort((short) 4);
            out.putShort((short) restartInterval);
        }

        // 16-bit tables are not allowed in a baseline frame: announce extended sequential (SOF1) then.
        marker(out, precision == 0 ? 0xC0 : 0xC1);
        out.putShort((short) SOF_LENGTH);
        out.put((byte) 8); // sample precision
        out.putShort((short) height);
        out.putShort((short) width);
        out.put((byte) 3); // components
        out.put((byte) 1); // Y: id, sampling 2x1 or 2x2, table 0
        out.put((byte) (0x20 | subsampling.lumaRows()));
        out.put((byte) 0);
        out.put((byte) 2); // Cb: 1x1, table 1
        out.put((byte) 0x11);
        out.put((byte) 1);
        out.put((byte) 3); // Cr: 1x1, table 1
        out.put((byte) 0x11);
        out.put((byte) 1);

        marker(out, 0xC4); // DHT: the four Annex K tables in one segment
        out.putShort((short) DHT_LENGTH);
        huffman(out, 0x00, JpegStandardTables.LUMA_DC_BITS, JpegStandardTables.LUMA_DC_VALUES);
        huffman(out, 0x10, JpegStandardTables.LUMA_AC_BITS, JpegStandardTables.LUMA_AC_VALUES);
        huffman(out, 0x01, JpegStandardTables.CHROMA_DC_BITS, JpegStandardTables.CHROMA_DC_VALUES);
        huffman(out, 0x11, JpegStandardTables.CHROMA_AC_BITS, JpegStandardTables.CHROMA_AC_VALUES);

        marker(out, 0xDA); // SOS
        out.putShort((short) SOS_LENGTH);
        out.put((byte) 3);
        out.put((byte) 1); // Y: DC table 0, AC table 0
        out.put((byte) 0x00);
        out.put((byte) 2); // Cb: DC table 1, AC table 1
        out.put((byte) 0x11);
        out.put((byte) 3); // Cr: DC table 1, AC table 1
        out.put((byte) 0x11);
        out.put((byte) 0); // Ss
        out.put((byte) 63); // Se
        out.put((byte) 0); // Ah/Al
    }

    /** Bytes of table {@code table} (0 luma, 1 chroma): 64, or 128 when its precision bit says 16-bit. */
    private static int tableLength(int precision, int table) {
        return (precision >> table & 1) != 0 ? 128 : 64;
    }

    private static void huffman(ByteBuffer out, int classAndId, byte[] bits, byte[] values) {
        out.put((byte) classAndId);
        out.put(bits);
        out.put(values);
    }

    private static void marker(ByteBuffer out, int code) {
        out.put((byte) 0xFF);
        out.put((byte) code);
    }
}
