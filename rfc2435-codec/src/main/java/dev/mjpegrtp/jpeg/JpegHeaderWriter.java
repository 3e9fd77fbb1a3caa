package dev.mjpegrtp.jpeg;

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
        int lumaLength = (precision & 1) != 0 ? 128 : 64;
        int chromaLength = (precision & 2) != 0 ? 128 : 64;
        int at = offset;
        at = marker(out, at, 0xD8); // SOI

        at = marker(out, at, 0xDB); // DQT: both tables in one segment
        at = u16(out, at, 2 + 2 + lumaLength + chromaLength);
        out[at++] = (byte) ((precision & 1) << 4);
        System.arraycopy(tables, tablesOffset, out, at, lumaLength);
        at += lumaLength;
        out[at++] = (byte) ((precision & 2) << 3 | 1);
        System.arraycopy(tables, tablesOffset + lumaLength, out, at, chromaLength);
        at += chromaLength;

        if (restartMarkers) {
            at = marker(out, at, 0xDD); // DRI
            at = u16(out, at, 4);
            at = u16(out, at, restartInterval);
        }

        // 16-bit tables are not allowed in a baseline frame: announce extended sequential (SOF1) then.
        at = marker(out, at, precision == 0 ? 0xC0 : 0xC1);
        at = u16(out, at, SOF_LENGTH);
        out[at++] = 8; // sample precision
        at = u16(out, at, height);
        at = u16(out, at, width);
        out[at++] = 3; // components
        out[at++] = 1; // Y: id, sampling 2x1 or 2x2, table 0
        out[at++] = (byte) (0x20 | subsampling.lumaRows());
        out[at++] = 0;
        out[at++] = 2; // Cb: 1x1, table 1
        out[at++] = 0x11;
        out[at++] = 1;
        out[at++] = 3; // Cr: 1x1, table 1
        out[at++] = 0x11;
        out[at++] = 1;

        at = marker(out, at, 0xC4); // DHT: the four Annex K tables in one segment
        at = u16(out, at, DHT_LENGTH);
        at = huffman(out, at, 0x00, JpegStandardTables.LUMA_DC_BITS, JpegStandardTables.LUMA_DC_VALUES);
        at = huffman(out, at, 0x10, JpegStandardTables.LUMA_AC_BITS, JpegStandardTables.LUMA_AC_VALUES);
        at = huffman(out, at, 0x01, JpegStandardTables.CHROMA_DC_BITS, JpegStandardTables.CHROMA_DC_VALUES);
        at = huffman(out, at, 0x11, JpegStandardTables.CHROMA_AC_BITS, JpegStandardTables.CHROMA_AC_VALUES);

        at = marker(out, at, 0xDA); // SOS
        at = u16(out, at, SOS_LENGTH);
        out[at++] = 3;
        out[at++] = 1; // Y: DC table 0, AC table 0
        out[at++] = 0x00;
        out[at++] = 2; // Cb: DC table 1, AC table 1
        out[at++] = 0x11;
        out[at++] = 3; // Cr: DC table 1, AC table 1
        out[at++] = 0x11;
        out[at++] = 0; // Ss
        out[at++] = 63; // Se
        out[at++] = 0; // Ah/Al
        return at;
    }

    private static int huffman(byte[] out, int at, int classAndId, byte[] bits, byte[] values) {
        out[at++] = (byte) classAndId;
        System.arraycopy(bits, 0, out, at, bits.length);
        at += bits.length;
        System.arraycopy(values, 0, out, at, values.length);
        return at + values.length;
    }

    private static int marker(byte[] out, int at, int code) {
        out[at] = (byte) 0xFF;
        out[at + 1] = (byte) code;
        return at + 2;
    }

    private static int u16(byte[] out, int at, int value) {
        out[at] = (byte) (value >> 8);
        out[at + 1] = (byte) value;
        return at + 2;
    }
}
