package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;

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
 * <p>A transcoder keeps its work buffers (the coefficients, two bytes per sample, the Huffman decoding tables and the
 * encoder's output) from one frame to the next, so a steady stream of transcoded frames allocates little more than
 * each result; it holds on to the buffers of the largest frame it has seen. It is therefore not thread-safe: give each
 * sending thread its own ({@link JpegParser#parse(byte[], Rfc2435Transcoder)}). The JPEG it returns is a new array the
 * caller owns, never reused.
 */
public final class Rfc2435Transcoder {

    private final short[][] coefficients = new short[JpegHeaders.MAX_COMPONENTS][];
    private final HuffmanDecodingTable[] huffmanTables = new HuffmanDecodingTable[8];
    private byte[] output = new byte[0];

    /**
     * @param headers positioned on the first scan of the source
     * @param type    the RFC 2435 type (0 or 1) the source's sampling maps to
     * @return the re-encoded JPEG
     */
    byte[] transcode(JpegHeaders headers, int type) {
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
        int lumaPrecision = precision(luma);
        int chromaPrecision = precision(chroma);
        byte[] tables = new byte[(lumaPrecision + 1) * 64 + (chromaPrecision + 1) * 64];
        int at = writeTable(tables, 0, luma, lumaPrecision);
        writeTable(tables, at, chroma, chromaPrecision);
        int precisionBits = lumaPrecision | chromaPrecision << 1;

        int rtpType = restartInterval > 0 ? type + JpegFrame.RESTART_TYPE_OFFSET : type;
        int headerLength = JpegHeaderWriter.length((lumaPrecision + 1) * 64, (chromaPrecision + 1) * 64,
                restartInterval > 0);
        // The source's size is a fair guess for the re-encoding's: the Annex K tables cost a few percent more.
        int expected = headerLength + headers.end + (headers.end >> 3);
        if (output.length < expected) {
            output = new byte[expected];
        }
        JpegHeaderWriter.write(output, 0, rtpType, image.width, image.height, restartInterval, tables, 0,
                precisionBits);
        BaselineScanEncoder encoder = new BaselineScanEncoder(image, output, headerLength);
        encoder.encode(type, restartInterval);
        output = encoder.buffer();
        return Arrays.copyOf(output, encoder.length());
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
