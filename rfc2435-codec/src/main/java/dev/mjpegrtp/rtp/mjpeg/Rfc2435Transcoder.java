package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;
import java.util.Set;

/**
 * Re-encodes a valid JPEG that RFC 2435 cannot carry as it is into one it can, without loss: the quantized DCT
 * coefficients and the quantization tables are kept exactly, so every decoder computes the same pixels from the result
 * as from the source. What changes is only how they are coded: one interleaved baseline scan with the Annex K Huffman
 * tables, MCUs laid out as type 0 or 1, restart markers at the source's interval, 8-bit tables where the values allow.
 *
 * <p>The result is a complete JFIF file (the headers an RFC 2435 receiver would rebuild, then the scan), so it takes
 * the ordinary zero-copy path afterwards. The cost, one entropy decode and encode per frame, is paid once per frame,
 * never per packet.
 *
 * <p>A JPEG that needs only its 16-bit tables narrowed (what an RFC 2435 receiver rebuilds from packets with 16-bit
 * tables) is not decoded at all: the scan is copied behind new headers, so its cost is that of a copy whatever size it
 * declares.
 *
 * <p>Memory is bounded before it is taken ({@code CoefficientDecoder}): at most 4096x2160 pixels, and no more blocks
 * than the entropy-coded data can hold, so a small input cannot declare a large image. A transcoder keeps its work
 * buffers (the coefficients, two bytes per sample, the Huffman decoding tables and the encoder's output) from one frame
 * to the next, so a steady stream of transcoded frames allocates little more than each result; buffers past those of a
 * 1080p frame are dropped after the frame, so that one large or hostile frame does not stay in memory for as long as
 * the thread lives. It is not thread-safe: give each sending thread its own
 * ({@link JpegParser#parse(byte[], Rfc2435Transcoder)}). The JPEG it returns is a new array the caller owns, never
 * reused.
 */
public final class Rfc2435Transcoder {

    /** Coefficients per component kept for the next frame: the luma plane of 1920x1088, 4 MB. */
    static final int RETAINED_COEFFICIENTS = 1920 * 1088;
    /** Output buffer kept for the next frame: more than a 1080p frame at high quality needs. */
    static final int RETAINED_OUTPUT_BYTES = 2 << 20;

    private final short[][] coefficients = new short[JpegHeaders.MAX_COMPONENTS][];
    private final HuffmanDecodingTable[] huffmanTables = new HuffmanDecodingTable[8];
    private byte[] output = new byte[0];

    /**
     * @param headers positioned on the first scan of the source
     * @param type    the RFC 2435 type (0 or 1) the source's sampling maps to
     * @param needed  why the source cannot go out as it is
     * @return the re-encoded JPEG
     */
    byte[] transcode(JpegHeaders headers, int type, Set<Transcoding> needed) {
        try {
            return needed.equals(Set.of(Transcoding.TABLE_PRECISION)) ? narrowTables(headers, type)
                    : reencode(headers, type);
        } finally {
            dropLargeBuffers();
        }
    }

    private byte[] reencode(JpegHeaders headers, int type) {
        int restartInterval = headers.restartInterval;
        DctCoefficients image = CoefficientDecoder.decode(headers, coefficients, huffmanTables);
        int[] luma = image.quantizers[0];
        int[] chroma;
        if (image.componentCount == 1) {
            chroma = neutralChromaQuantizer(luma);
        } else {
            chroma = image.quantizers[1];
            if (!Arrays.equals(chroma, image.quantizers[2])) {
                throw differentChromaTables();
            }
        }
        // The source's size is a fair guess for the re-encoding's: the Annex K tables cost a few percent more.
        int headerLength = writeHeaders(type, image.width, image.height, restartInterval, luma, chroma,
                headers.end + (headers.end >> 3));
        BaselineScanEncoder encoder = new BaselineScanEncoder(image, output, headerLength);
        encoder.encode(type, restartInterval);
        output = encoder.buffer();
        return Arrays.copyOf(output, encoder.length());
    }

    /**
     * A source whose scan RFC 2435 carries as it is (type 0 or 1, one interleaved scan, the Annex K tables): new
     * headers with the tables at the precision their values need, then the scan and EOI copied unchanged.
     */
    private byte[] narrowTables(JpegHeaders headers, int type) {
        headers.requireQuantizationTables();
        int[] luma = quantizer(headers, headers.quantizationSlot[0]);
        int[] chroma = quantizer(headers, headers.quantizationSlot[1]);
        if (!Arrays.equals(chroma, quantizer(headers, headers.quantizationSlot[2]))) {
            throw differentChromaTables();
        }
        int scanLength = headers.end - headers.scanDataOffset;
        int headerLength = writeHeaders(type, headers.width, headers.height, headers.restartInterval, luma, chroma,
                scanLength);
        byte[] jpeg = Arrays.copyOf(output, headerLength + scanLength);
        System.arraycopy(headers.data, headers.scanDataOffset, jpeg, headerLength, scanLength);
        return jpeg;
    }

    private static int[] quantizer(JpegHeaders headers, int slot) {
        int[] table = new int[64];
        for (int k = 0; k < 64; k++) {
            table[k] = headers.quantizer(slot, k);
        }
        return table;
    }

    /**
     * Writes the RFC 2435 headers into {@link #output}, grown to hold {@code scanBytes} more; returns their length.
     * Each table goes out with 8-bit entries where its values allow.
     */
    private int writeHeaders(int type, int width, int height, int restartInterval, int[] luma, int[] chroma,
                             int scanBytes) {
        int lumaPrecision = precision(luma);
        int chromaPrecision = precision(chroma);
        byte[] tables = new byte[(lumaPrecision + 1) * 64 + (chromaPrecision + 1) * 64];
        int at = writeTable(tables, 0, luma, lumaPrecision);
        writeTable(tables, at, chroma, chromaPrecision);
        int precisionBits = lumaPrecision | chromaPrecision << 1;
        int rtpType = restartInterval > 0 ? type + JpegFrame.RESTART_TYPE_OFFSET : type;
        int headerLength = JpegHeaderWriter.length((lumaPrecision + 1) * 64, (chromaPrecision + 1) * 64,
                restartInterval > 0);
        if (output.length < headerLength + scanBytes) {
            output = new byte[headerLength + scanBytes];
        }
        JpegHeaderWriter.write(output, 0, rtpType, width, height, restartInterval, tables, 0, precisionBits);
        return headerLength;
    }

    /** Lets go of the buffers of a frame larger than the ones worth keeping. */
    private void dropLargeBuffers() {
        for (int c = 0; c < coefficients.length; c++) {
            if (coefficients[c] != null && coefficients[c].length > RETAINED_COEFFICIENTS) {
                coefficients[c] = null;
            }
        }
        if (output.length > RETAINED_OUTPUT_BYTES) {
            output = new byte[0];
        }
    }

    /** Bytes of work buffers this transcoder holds between frames. */
    long retainedBytes() {
        long bytes = output.length;
        for (short[] component : coefficients) {
            bytes += component == null ? 0 : 2L * component.length;
        }
        return bytes;
    }

    static UnsupportedJpegException differentChromaTables() {
        return new UnsupportedJpegException("Cb and Cr use different quantization tables; RFC 2435 carries one for both");
    }

    /**
     * Any table gives neutral chroma from all-zero blocks. Appendix A's chroma table of the Q whose luma table the
     * image uses lets the frame go out as that Q with no tables on the wire; otherwise the luma table serves.
     */
    private static int[] neutralChromaQuantizer(int[] luma) {
        byte[] zigzagLuma = new byte[2 * QuantizationTables.TABLE_SIZE];
        for (int k = 0; k < 64; k++) {
            if (luma[k] > 255) {
                return luma;
            }
            zigzagLuma[k] = (byte) luma[k];
        }
        int q = QuantizationTables.matchingLumaQ(zigzagLuma, 0);
        if (q == 0) {
            return luma;
        }
        byte[] appendixA = QuantizationTables.shared(q);
        int[] chroma = new int[64];
        for (int k = 0; k < 64; k++) {
            chroma[k] = appendixA[QuantizationTables.TABLE_SIZE + k] & 0xFF;
        }
        return chroma;
    }

    /** 1 when an entry needs 16 bits, else 0. */
    private static int precision(int[] table) {
        for (int value : table) {
            if (value > 255) {
                return 1;
            }
        }
        return 0;
    }

    private static int writeTable(byte[] out, int at, int[] table, int precision) {
        for (int value : table) {
            if (precision == 1) {
                out[at++] = (byte) (value >> 8);
            }
            out[at++] = (byte) value;
        }
        return at;
    }
}
