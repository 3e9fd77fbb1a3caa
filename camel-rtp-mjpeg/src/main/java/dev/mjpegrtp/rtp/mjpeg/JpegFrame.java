package dev.mjpegrtp.rtp.mjpeg;

/**
 * A baseline JPEG image as RFC 2435 sees it: the fields of the main JPEG header, where the quantization tables and
 * the entropy-coded scan lie in the original bytes, and nothing copied. Made by {@link JpegParser}.
 *
 * @param data              the complete JPEG file; not copied, so it must not change while the frame is in use
 * @param scanOffset        first byte of the entropy-coded data, right after the SOS segment
 * @param scanLength        bytes of entropy-coded data up to (not including) the EOI marker
 * @param type              RFC 2435 type: 0 (4:2:2) or 1 (4:2:0), plus 64 when restart markers are present
 * @param width             image width in pixels (at most {@link #MAX_DIMENSION})
 * @param height            image height in pixels (at most {@link #MAX_DIMENSION})
 * @param restartInterval   MCUs per restart interval from the DRI segment, 0 when there is none
 * @param q                 the Q to announce: 1..99 when the tables equal Appendix A's, 255 for in-band tables
 * @param lumaTableOffset   offset of the luma quantization table in {@code data} (zig-zag order)
 * @param chromaTableOffset offset of the chroma quantization table in {@code data} (zig-zag order)
 * @param precision         RFC 2435 §3.1.8 precision bits: bit 0 set for a 16-bit luma table, bit 1 for chroma
 */
public record JpegFrame(byte[] data, int scanOffset, int scanLength, int type, int width, int height,
                        int restartInterval, int q, int lumaTableOffset, int chromaTableOffset, int precision) {

    /** The largest width or height the 8-bit width/8 and height/8 fields of the main header can hold. */
    public static final int MAX_DIMENSION = 2040;
    /** Added to the type when the scan contains restart markers (RFC 2435 §3.1.7). */
    public static final int RESTART_TYPE_OFFSET = 64;

    public boolean hasRestartMarkers() {
        return type >= RESTART_TYPE_OFFSET;
    }

    public boolean tablesInBand() {
        return q >= QuantizationTables.MIN_IN_BAND_Q;
    }

    /** Bytes of the luma table: 64 for 8-bit, 128 for 16-bit precision. */
    public int lumaTableLength() {
        return (precision & 1) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    /** Bytes of the chroma table: 64 for 8-bit, 128 for 16-bit precision. */
    public int chromaTableLength() {
        return (precision & 2) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    /** "4:2:0" or "4:2:2". */
    public String subsampling() {
        return (type & 1) == 1 ? "4:2:0" : "4:2:2";
    }
}
