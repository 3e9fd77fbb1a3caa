package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.util.Set;

import dev.mjpegrtp.jpeg.ChromaSubsampling;
import dev.mjpegrtp.jpeg.JpegHeaderWriter;

/**
 * A baseline JPEG image as RFC 2435 sees it: the fields of the main JPEG header, where the quantization tables and
 * the entropy-coded scan lie in the JPEG's bytes, and nothing copied. Made by {@link JpegParser}.
 *
 * @param data                   the complete JPEG file, the caller's own or the transcoded one; not copied, so it must
 *                               not change while the frame is in use
 * @param scanOffset             first byte of the entropy-coded data, right after the SOS segment
 * @param scanLength             bytes of entropy-coded data up to (not including) the marker that ends the scan
 * @param type                   RFC 2435 type: 0 (4:2:2) or 1 (4:2:0), plus 64 when restart markers are present
 * @param width                  image width in pixels; above {@link #MAX_DIMENSION} the header says 0 and the real
 *                               size travels out of band (SDP {@code a=x-dimensions})
 * @param height                 image height in pixels, likewise
 * @param restartInterval        MCUs per restart interval from the DRI segment, 0 when there is none
 * @param q                      the Q to announce: 1..99 when the tables equal Appendix A's, else 128..255 with the
 *                               tables in-band
 * @param lumaTableOffset        offset of the luma quantization table in {@code data} (zig-zag order)
 * @param chromaTableOffset      offset of the chroma quantization table in {@code data} (zig-zag order)
 * @param precision              RFC 2435 §3.1.8 precision bits: bit 0 set for a 16-bit luma table, bit 1 for chroma
 * @param restartIntervalOffsets where each restart interval starts in the scan (the first at 0), when the scan holds
 *                               exactly the restart markers its DRI implies; {@code null} otherwise, and then packets
 *                               cannot be aligned on restart intervals
 * @param transcodings           what was re-encoded to make the frame RFC 2435-shaped; empty when {@code data} is the
 *                               caller's JPEG, sent as it is
 */
public record JpegFrame(byte[] data, int scanOffset, int scanLength, int type, int width, int height,
                        int restartInterval, int q, int lumaTableOffset, int chromaTableOffset, int precision,
                        int[] restartIntervalOffsets, Set<Transcoding> transcodings) {

    /** The largest width or height the 8-bit width/8 and height/8 fields of the main header can hold. */
    public static final int MAX_DIMENSION = 2040;
    /** Added to the type when the scan contains restart markers (RFC 2435 §3.1.7). */
    public static final int RESTART_TYPE_OFFSET = 64;

    /** A frame sent as it is, without restart interval alignment. */
    public JpegFrame(byte[] data, int scanOffset, int scanLength, int type, int width, int height,
                     int restartInterval, int q, int lumaTableOffset, int chromaTableOffset, int precision) {
        this(data, scanOffset, scanLength, type, width, height, restartInterval, q, lumaTableOffset, chromaTableOffset,
                precision, null, Set.of());
    }

    public boolean hasRestartMarkers() {
        return type >= RESTART_TYPE_OFFSET;
    }

    /** True when packets can start on restart interval boundaries (RFC 2435 §3.1.7 partial frame decoding). */
    public boolean restartAligned() {
        return restartIntervalOffsets != null;
    }

    public boolean tablesInBand() {
        return q >= QuantizationTables.MIN_IN_BAND_Q;
    }

    /** True when the size does not fit the main header, which then says 0 (RFC 2435 §3.1.5, §3.1.6). */
    public boolean exceedsHeaderDimensions() {
        return width > MAX_DIMENSION || height > MAX_DIMENSION;
    }

    /** True when the frame is a re-encoding of the caller's JPEG rather than its own bytes. */
    public boolean transcoded() {
        return !transcodings.isEmpty();
    }

    /** Bytes of the luma table: 64 for 8-bit, 128 for 16-bit precision. */
    public int lumaTableLength() {
        return (precision & 1) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    /** Bytes of the chroma table: 64 for 8-bit, 128 for 16-bit precision. */
    public int chromaTableLength() {
        return (precision & 2) != 0 ? 2 * QuantizationTables.TABLE_SIZE : QuantizationTables.TABLE_SIZE;
    }

    /**
     * Bytes of the JPEG an RFC 2435 receiver rebuilds from this frame's packets: the headers of RFC 2435 Appendix B
     * (see {@link JpegHeaderWriter}), the scan and EOI.
     */
    public int rebuiltLength() {
        return JpegHeaderWriter.length(lumaTableLength(), chromaTableLength(), hasRestartMarkers()) + scanLength + 2;
    }

    /**
     * Writes the JPEG an RFC 2435 receiver rebuilds ({@link #rebuiltLength()} bytes) at {@code dst}'s position and
     * advances it: the one copy of the scan, straight into the caller's buffer. {@code dst} must be big-endian (the
     * default). It decodes to the pixels of the JPEG the frame was parsed from: the parser keeps only frames whose
     * Huffman tables, components and sampling are the ones these headers name.
     */
    public void writeRebuilt(ByteBuffer dst) {
        JpegHeaderWriter.write(dst, (type & 1) == 1 ? ChromaSubsampling.YCBCR_420 : ChromaSubsampling.YCBCR_422,
                width, height, hasRestartMarkers(), restartInterval, data, lumaTableOffset, chromaTableOffset,
                precision);
        dst.put(data, scanOffset, scanLength);
        dst.put((byte) 0xFF);
        dst.put((byte) 0xD9); // EOI
    }

    /** "4:2:0" or "4:2:2". */
    public String subsampling() {
        return (type & 1) == 1 ? "4:2:0" : "4:2:2";
    }
}
