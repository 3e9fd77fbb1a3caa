package dev.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * Re-encodes a valid JPEG without loss into the form RFC 2435 carries: the quantized DCT coefficients and the
 * quantization tables are kept exactly, so every decoder computes the same pixels from the result as from the source.
 * What changes is only how they are coded: one interleaved baseline scan with the Annex K Huffman tables, MCUs laid
 * out as a {@link ChromaSubsampling} layout, restart markers at the source's interval, 8-bit tables where the values
 * allow.
 *
 * <p>The result is a complete JFIF file (the headers an RFC 2435 receiver would rebuild, then the scan), so it takes
 * the ordinary zero-copy path afterwards. The cost, one entropy decode and encode per frame, is paid once per frame,
 * never per packet.
 *
 * <p>A JPEG that needs only its 16-bit tables narrowed (what an RFC 2435 receiver rebuilds from packets with 16-bit
 * tables) is not decoded at all ({@link #narrowTables}): the scan is copied behind new headers, so its cost is that of
 * a copy whatever size it declares.
 *
 * <p>Memory is bounded before it is taken ({@code CoefficientDecoder}): at most 4096x2160 pixels, and no more blocks
 * than the entropy-coded data can hold, so a small input cannot declare a large image. A transcoder keeps its work
 * buffers (the coefficients, two bytes per sample, the Huffman decoding tables and the encoder's output) from one frame
 * to the next, so a steady stream of transcoded frames allocates little more than each result; buffers past those of a
 * 1080p frame are dropped after the frame, so that one large or hostile frame does not stay in memory for as long as
 * the thread lives. It is not thread-safe: give each sending thread its own. The JPEG it returns is a new array the
 * caller owns, never reused.
 */
public final class JpegTranscoder {

    /** Coefficients per component kept for the next frame: the luma plane of 1920x1088, 4 MB. */
    static final int RETAINED_COEFFICIENTS = 1920 * 1088;
    /** Output buffer kept for the next frame: more than a 1080p frame at high quality needs. */
    static final int RETAINED_OUTPUT_BYTES = 2 << 20;

    private final short[][] coefficients = new short[JpegHeaders.MAX_COMPONENTS][];
    private final HuffmanDecodingTable[] huffmanTables = new HuffmanDecodingTable[8];
    private byte[] output = new byte[0];

    /**
     * Decodes every scan of the source to its coefficients and codes them again as one scan in {@code layout}.
     *
     * @param source          positioned on its first scan ({@link JpegHeaders#readToFirstScan})
     * @param layout          the layout the source's sampling amounts to ({@link JpegHeaders#chromaSubsampling()})
     * @param grayscaleChroma for a grayscale source, the quantization table (zig-zag order) its neutral chroma is
     *                        announced with: any table gives neutral chroma from all-zero blocks, so the caller picks
     *                        the one its receivers need least sent; ignored for a colour source
     * @return the re-encoded JPEG
     * @throws JpegException when the source's data is corrupt, or it cannot be carried without loss
     */
    public byte[] reencode(JpegHeaders source, ChromaSubsampling layout, int[] grayscaleChroma) {
        try {
            int restartInterval = source.restartInterval;
            DctCoefficients image = CoefficientDecoder.decode(source, coefficients, huffmanTables);
            int[] luma = image.quantizers[0];
            int[] chroma;
            if (image.componentCount == 1) {
                chroma = grayscaleChroma;
            } else {
                chroma = image.quantizers[1];
                if (!Arrays.equals(chroma, image.quantizers[2])) {
                    throw differentChromaTables();
                }
            }
            // The source's size is a fair guess for the re-encoding's: the Annex K tables cost a few percent more.
            int headerLength = writeHeaders(layout, image.width, image.height, restartInterval, luma, chroma,
                    source.end + (source.end >> 3));
            BaselineScanEncoder encoder = new BaselineScanEncoder(image, output, headerLength);
            encoder.encode(layout, restartInterval);
            output = encoder.buffer();
            return Arrays.copyOf(output, encoder.length());
        } finally {
            dropLargeBuffers();
        }
    }

    /**
     * A source whose scan RFC 2435 carries as it is (a {@link ChromaSubsampling} layout, one interleaved scan, the
     * Annex K tables) but whose quantization tables are 16-bit: new headers with the tables at the precision their
     * values need, then the scan and EOI copied unchanged.
     *
     * @param source positioned on its first scan
     * @param layout the source's layout
     * @throws JpegException when a table is missing, or Cb and Cr use different ones
     */
    public byte[] narrowTables(JpegHeaders source, ChromaSubsampling layout) {
        try {
            source.requireQuantizationTables();
            int[] luma = quantizer(source, source.quantizationSlot[0]);
            int[] chroma = quantizer(source, source.quantizationSlot[1]);
            if (!Arrays.equals(chroma, quantizer(source, source.quantizationSlot[2]))) {
                throw differentChromaTables();
            }
            int scanLength = source.end - source.scanDataOffset;
            int headerLength = writeHeaders(layout, source.width, source.height, source.restartInterval, luma, chroma,
                    scanLength);
            byte[] jpeg = Arrays.copyOf(output, headerLength + scanLength);
            System.arraycopy(source.data, source.scanDataOffset, jpeg, headerLength, scanLength);
            return jpeg;
        } finally {
            dropLargeBuffers();
        }
    }

    private static int[] quantizer(JpegHeaders headers, int slot) {
        int[] table = new int[64];
        for (int k = 0; k < 64; k++) {
            table[k] = headers.quantizer(slot, k);
        }
        return table;
    }

    /**
     * Writes the headers into {@link #output}, grown to hold {@code scanBytes} more; returns their length.
     * Each table goes out with 8-bit entries where its values allow.
     */
    private int writeHeaders(ChromaSubsampling layout, int width, int height, int restartInterval, int[] luma,
                             int[] chroma, int scanBytes) {
        int lumaPrecision = precision(luma);
        int chromaPrecision = precision(chroma);
        byte[] tables = new byte[(lumaPrecision + 1) * 64 + (chromaPrecision + 1) * 64];
        int at = writeTable(tables, 0, luma, lumaPrecision);
        writeTable(tables, at, chroma, chromaPrecision);
        int precisionBits = lumaPrecision | chromaPrecision << 1;
        int headerLength = JpegHeaderWriter.length((lumaPrecision + 1) * 64, (chromaPrecision + 1) * 64,
                restartInterval > 0);
        if (output.length < headerLength + scanBytes) {
            output = new byte[headerLength + scanBytes];
        }
        JpegHeaderWriter.write(output, 0, layout, width, height, restartInterval > 0, restartInterval, tables, 0,
                precisionBits);
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

    private static JpegException differentChromaTables() {
        return JpegException.unsupported("Cb and Cr use different quantization tables; RFC 2435 carries one for both");
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
