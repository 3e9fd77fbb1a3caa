package dev.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * Walks the marker segments of a JPEG in order and keeps what is in effect at each scan: the frame header (SOF), the
 * quantization and Huffman tables by slot, the restart interval, the JFIF/Adobe colour hints, and the header of the
 * scan just reached. {@link #readToFirstScan} reads up to the first scan, which tells whether the image can be sent as
 * it is; {@link CoefficientDecoder} goes on from there through every further scan, because progressive and multi-scan
 * files redefine tables between scans.
 *
 * <p>Every length is checked against the input before it is read, and whatever RFC 2435 can never carry (arithmetic
 * coding, lossless or hierarchical JPEG, samples other than 8 bits, CMYK) is rejected as soon as its marker is seen,
 * with a {@link JpegException}. Nothing is copied: tables are kept as offsets into the input. One instance reads one
 * image on one thread.
 */
public final class JpegHeaders {

    /** Huffman slot content: never defined. */
    static final int HUFFMAN_UNDEFINED = -1;
    /** Huffman slot content: the Annex K luma table, which a JPEG without DHT (AVI1 MJPEG) implies in slot 0. */
    static final int HUFFMAN_STANDARD_LUMA = -2;
    /** Huffman slot content: the Annex K chroma table, implied in slot 1. */
    static final int HUFFMAN_STANDARD_CHROMA = -3;

    static final int MAX_COMPONENTS = 4;
    /** T.81 B.2.3: an interleaved MCU holds at most 10 blocks. */
    private static final int MAX_BLOCKS_PER_MCU = 10;

    final byte[] data;
    /** End of the JPEG in {@link #data}: the array may be longer, as a reused frame buffer is. */
    final int end;
    private int pos;

    private boolean frameSeen;
    int frameMarker;
    int width;
    int height;
    int componentCount;
    final int[] componentId = new int[MAX_COMPONENTS];
    final int[] horizontalSampling = new int[MAX_COMPONENTS];
    final int[] verticalSampling = new int[MAX_COMPONENTS];
    final int[] quantizationSlot = new int[MAX_COMPONENTS];
    int maxHorizontalSampling;
    int maxVerticalSampling;
    private boolean jfif;
    private int adobeTransform = -1;

    /** Offset of each slot's 64 (8-bit) or 128 (16-bit) table entries in {@link #data}, -1 when undefined. */
    final int[] quantizationOffset = {-1, -1, -1, -1};
    /** 0 for 8-bit, 1 for 16-bit entries. */
    final int[] quantizationPrecision = new int[4];
    /**
     * DC slots 0..3 then AC slots 0..3: offset of the table's 16 code-length counts in {@link #data} (its symbols
     * follow), or one of the {@code HUFFMAN_*} constants.
     */
    final int[] huffmanOffset = {HUFFMAN_STANDARD_LUMA, HUFFMAN_STANDARD_CHROMA, HUFFMAN_UNDEFINED, HUFFMAN_UNDEFINED,
                                 HUFFMAN_STANDARD_LUMA, HUFFMAN_STANDARD_CHROMA, HUFFMAN_UNDEFINED, HUFFMAN_UNDEFINED};
    int restartInterval;

    int scanComponentCount;
    /** Frame component index of each scan component, in scan order. */
    final int[] scanComponent = new int[MAX_COMPONENTS];
    final int[] scanDcSlot = new int[MAX_COMPONENTS];
    final int[] scanAcSlot = new int[MAX_COMPONENTS];
    int spectralStart;
    int spectralEnd;
    int approximationHigh;
    int approximationLow;
    /** Offset of the entropy-coded data of the scan just read. */
    int scanDataOffset;

    JpegHeaders(byte[] data, int end) {
        this.data = data;
        this.end = end;
    }

    /**
     * Reads the JPEG in the first {@code length} bytes of {@code data} up to its first scan.
     *
     * @throws JpegException when the bytes are no JPEG, or one that ends before any scan
     */
    public static JpegHeaders readToFirstScan(byte[] data, int length) {
        JpegHeaders headers = new JpegHeaders(data, length);
        headers.start();
        if (headers.readUntilScan(2) != JpegMarker.SOS) {
            throw JpegException.invalid("JPEG ends (EOI) before any scan data");
        }
        return headers;
    }

    /** The bytes read: the caller's, not copied. */
    public byte[] data() {
        return data;
    }

    /** End of the JPEG in {@link #data()}, which may be longer. */
    public int end() {
        return end;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** 1 (grayscale) or 3 (YCbCr). */
    public int componentCount() {
        return componentCount;
    }

    /** MCUs per restart interval in effect, 0 for none. */
    public int restartInterval() {
        return restartInterval;
    }

    /** Offset of the entropy-coded data of the scan just read. */
    public int scanDataOffset() {
        return scanDataOffset;
    }

    /** The quantization table slot (0..3) of frame component {@code component}. */
    public int quantizationSlot(int component) {
        return quantizationSlot[component];
    }

    /** Offset in {@link #data()} of slot {@code slot}'s table entries (zig-zag order), -1 when no DQT defined it. */
    public int quantizationOffset(int slot) {
        return quantizationOffset[slot];
    }

    /** 0 for a table of 8-bit entries, 1 for 16-bit ones. */
    public int quantizationPrecision(int slot) {
        return quantizationPrecision[slot];
    }

    /** Checks the SOI marker; the reading starts after it. */
    void start() {
        if (end >= 4 && u8(0) == 0x89 && u8(1) == 'P' && u8(2) == 'N' && u8(3) == 'G') {
            throw JpegException.invalid("not a JPEG: the data is a PNG image");
        }
        if (end < 4 || u8(0) != 0xFF || u8(1) != JpegMarker.SOI) {
            throw JpegException.invalid("not a JPEG: no SOI marker at the start (" + end + " bytes)");
        }
        pos = 2;
    }

    /**
     * Reads segments from {@code offset} (a marker) until the next scan or the end of the image.
     *
     * @return {@link JpegMarker#SOS} with the scan header read and {@link #scanDataOffset} set, or
     *         {@link JpegMarker#EOI}
     */
    int readUntilScan(int offset) {
        pos = offset;
        while (true) {
            int marker = nextMarker();
            if (marker == JpegMarker.SOS) {
                readScanHeader();
                return marker;
            }
            if (marker == JpegMarker.EOI) {
                if (!frameSeen) {
                    throw JpegException.invalid("JPEG ends (EOI) before any scan data");
                }
                return marker;
            }
            if (marker == JpegMarker.TEM || JpegMarker.isRestart(marker)) {
                continue; // standalone markers carry no length
            }
            int length = segmentLength(marker);
            int start = pos + 2;
            int end = pos + length;
            readSegment(marker, start, end);
            pos = end;
        }
    }

    private void readSegment(int marker, int start, int end) {
        switch (marker) {
            case JpegMarker.SOF0, JpegMarker.SOF1, JpegMarker.SOF2 -> readFrameHeader(marker, start, end);
            case JpegMarker.SOF3, JpegMarker.SOF7, JpegMarker.SOF11, JpegMarker.SOF15 ->
                throw JpegException.unsupported("lossless JPEG not supported by RFC 2435");
            case JpegMarker.SOF5, 0xC6 -> throw JpegException.unsupported("hierarchical JPEG not supported by RFC 2435");
            case JpegMarker.SOF9, 0xCA, JpegMarker.SOF13, 0xCE, JpegMarker.DAC ->
                throw JpegException.unsupported("arithmetic-coded JPEG not supported by RFC 2435");
            case JpegMarker.JPG -> throw JpegException.unsupported("JPEG extension (SOF8) not supported by RFC 2435");
            case JpegMarker.DNL ->
                throw JpegException.unsupported("JPEG whose height follows the scan (DNL) not supported by RFC 2435");
            case JpegMarker.DHT -> readHuffmanTables(start, end);
            case JpegMarker.DQT -> readQuantizationTables(start, end);
            case JpegMarker.DRI -> readRestartInterval(start, end);
            case JpegMarker.APP0 -> jfif |= end - start >= 5 && u8(start) == 'J' && u8(start + 1) == 'F'
                    && u8(start + 2) == 'I' && u8(start + 3) == 'F' && u8(start + 4) == 0;
            case JpegMarker.APP14 -> readAdobe(start, end);
            default -> {
                // other APPn, COM and anything else with a length: metadata RFC 2435 does not carry
            }
        }
    }

    /** Skips fill bytes and returns the marker code; {@code pos} is left on the segment length. */
    private int nextMarker() {
        if (pos >= end) {
            throw JpegException.invalid(frameSeen
                    ? "truncated JPEG: no EOI marker after the scan data"
                    : "truncated JPEG: no scan (SOS) before the end of the data");
        }
        if (u8(pos) != 0xFF) {
            throw JpegException.invalid("corrupt JPEG: expected a marker at offset " + pos
                    + ", found 0x" + Integer.toHexString(u8(pos)));
        }
        while (pos < end && u8(pos) == 0xFF) {
            pos++;
        }
        if (pos >= end) {
            throw JpegException.invalid("truncated JPEG: data ends inside a marker");
        }
        return u8(pos++);
    }

    private int segmentLength(int marker) {
        if (pos + 2 > end) {
            throw JpegException.invalid("truncated JPEG: segment " + JpegMarker.hex(marker) + " has no length");
        }
        int length = u16(pos);
        if (length < 2 || pos + length > end) {
            throw JpegException.invalid("truncated JPEG: segment " + JpegMarker.hex(marker) + " at offset "
                    + (pos - 2) + " declares " + length + " bytes, " + (end - pos) + " remain");
        }
        return length;
    }

    private void readFrameHeader(int marker, int start, int end) {
        if (frameSeen) {
            throw JpegException.invalid("corrupt JPEG: more than one SOF segment");
        }
        frameSeen = true;
        frameMarker = marker;
        if (end - start < 6) {
            throw JpegException.invalid("corrupt JPEG: SOF segment too short");
        }
        int precision = u8(start);
        height = u16(start + 1);
        width = u16(start + 3);
        int components = u8(start + 5);
        if (precision != 8) {
            throw JpegException.unsupported(precision + "-bit JPEG not supported by RFC 2435 (8-bit samples only)");
        }
        if (end - start != 6 + 3 * components) {
            throw JpegException.invalid("corrupt JPEG: SOF length does not match its " + components + " components");
        }
        if (components == 4) {
            throw JpegException.unsupported("CMYK (4-component) JPEG not supported by RFC 2435");
        }
        if (components != 1 && components != 3) {
            throw JpegException.unsupported(components + "-component JPEG not supported by RFC 2435");
        }
        if (width == 0 || height == 0) {
            throw JpegException.unsupported("JPEG without width or height in its SOF (DNL) not supported by RFC 2435");
        }
        componentCount = components;
        for (int c = 0; c < components; c++) {
            int at = start + 6 + 3 * c;
            componentId[c] = u8(at);
            horizontalSampling[c] = u8(at + 1) >> 4;
            verticalSampling[c] = u8(at + 1) & 0x0F;
            quantizationSlot[c] = u8(at + 2);
            if (horizontalSampling[c] < 1 || horizontalSampling[c] > 4 || verticalSampling[c] < 1
                    || verticalSampling[c] > 4) {
                throw JpegException.invalid("corrupt JPEG: sampling factors " + factors(c) + " of component " + c);
            }
            if (quantizationSlot[c] > 3) {
                throw JpegException.invalid("corrupt JPEG: quantization table " + quantizationSlot[c] + " out of range");
            }
            for (int other = 0; other < c; other++) {
                if (componentId[other] == componentId[c]) {
                    throw JpegException.invalid("corrupt JPEG: two components with id " + componentId[c]);
                }
            }
            maxHorizontalSampling = Math.max(maxHorizontalSampling, horizontalSampling[c]);
            maxVerticalSampling = Math.max(maxVerticalSampling, verticalSampling[c]);
        }
    }

    private void readQuantizationTables(int start, int end) {
        int at = start;
        while (at < end) {
            int precision = u8(at) >> 4;
            int slot = u8(at) & 0x0F;
            if (precision > 1 || slot > 3) {
                throw JpegException.invalid("corrupt JPEG: DQT table " + slot + " with precision " + precision);
            }
            int size = precision == 0 ? 64 : 128;
            if (at + 1 + size > end) {
                throw JpegException.invalid("truncated JPEG: DQT table " + slot + " runs past its segment");
            }
            quantizationOffset[slot] = at + 1;
            quantizationPrecision[slot] = precision;
            at += 1 + size;
        }
    }

    private void readHuffmanTables(int start, int end) {
        int at = start;
        while (at < end) {
            int tableClass = u8(at) >> 4;
            int slot = u8(at) & 0x0F;
            if (tableClass > 1 || slot > 3 || at + 17 > end) {
                throw JpegException.invalid("corrupt JPEG: bad DHT table header at offset " + at);
            }
            int count = 0;
            for (int i = 1; i <= 16; i++) {
                count += u8(at + i);
            }
            int valuesEnd = at + 17 + count;
            if (count > 256 || valuesEnd > end) {
                throw JpegException.invalid("corrupt JPEG: DHT table runs past its segment");
            }
            huffmanOffset[tableClass * 4 + slot] = at + 1;
            at = valuesEnd;
        }
    }

    private void readRestartInterval(int start, int end) {
        if (end - start != 2) {
            throw JpegException.invalid("corrupt JPEG: DRI segment of " + (end - start + 2) + " bytes");
        }
        restartInterval = u16(start);
    }

    private void readAdobe(int start, int end) {
        if (end - start >= 12 && u8(start) == 'A' && u8(start + 1) == 'd' && u8(start + 2) == 'o'
                && u8(start + 3) == 'b' && u8(start + 4) == 'e') {
            adobeTransform = u8(start + 11);
        }
    }

    private void readScanHeader() {
        if (!frameSeen) {
            throw JpegException.invalid("corrupt JPEG: scan (SOS) before the frame header (SOF)");
        }
        int length = segmentLength(JpegMarker.SOS);
        int start = pos + 2;
        int components = length >= 3 ? u8(start) : 0;
        if (components < 1 || components > componentCount || length != 6 + 2 * components) {
            throw JpegException.invalid("corrupt JPEG: SOS segment of " + length + " bytes for " + components
                    + " component(s)");
        }
        int blocks = 0;
        for (int s = 0; s < components; s++) {
            int at = start + 1 + 2 * s;
            int index = componentIndex(u8(at));
            for (int other = 0; other < s; other++) {
                if (scanComponent[other] == index) {
                    throw JpegException.invalid("corrupt JPEG: component " + u8(at) + " twice in one scan");
                }
            }
            scanComponent[s] = index;
            scanDcSlot[s] = u8(at + 1) >> 4;
            scanAcSlot[s] = u8(at + 1) & 0x0F;
            if (scanDcSlot[s] > 3 || scanAcSlot[s] > 3) {
                throw JpegException.invalid("corrupt JPEG: Huffman table selector out of range in SOS");
            }
            blocks += horizontalSampling[index] * verticalSampling[index];
        }
        if (components > 1 && blocks > MAX_BLOCKS_PER_MCU) {
            throw JpegException.invalid("corrupt JPEG: " + blocks + " blocks per MCU (at most 10)");
        }
        scanComponentCount = components;
        int spectral = start + 1 + 2 * components;
        spectralStart = u8(spectral);
        spectralEnd = u8(spectral + 1);
        approximationHigh = u8(spectral + 2) >> 4;
        approximationLow = u8(spectral + 2) & 0x0F;
        scanDataOffset = pos + length;
        pos = scanDataOffset;
    }

    private int componentIndex(int id) {
        for (int c = 0; c < componentCount; c++) {
            if (componentId[c] == id) {
                return c;
            }
        }
        throw JpegException.invalid("corrupt JPEG: scan names component " + id + ", which the frame does not have");
    }

    /** True for progressive (SOF2) frames. */
    public boolean progressive() {
        return frameMarker == JpegMarker.SOF2;
    }

    /**
     * The subsampling the image's sampling factors amount to, whatever its MCU layout; grayscale maps to 4:2:0 (its
     * chroma will be neutral).
     *
     * @throws JpegException (unsupported) when the chroma sampling is neither 4:2:2 nor 4:2:0, or the components are
     *                       RGB
     */
    public ChromaSubsampling chromaSubsampling() {
        if (componentCount == 1) {
            return ChromaSubsampling.YCBCR_420;
        }
        if (adobeTransform == 0 || (!jfif && adobeTransform < 0 && componentId[0] == 'R' && componentId[1] == 'G'
                && componentId[2] == 'B')) {
            throw JpegException.unsupported("RGB-coded JPEG (no YCbCr transform) not supported by RFC 2435 (YCbCr only)");
        }
        int hMax = maxHorizontalSampling;
        int vMax = maxVerticalSampling;
        boolean lumaIsLargest = horizontalSampling[0] == hMax && verticalSampling[0] == vMax;
        boolean chromaAlike = horizontalSampling[1] == horizontalSampling[2] && verticalSampling[1] == verticalSampling[2];
        if (lumaIsLargest && chromaAlike) {
            int h = horizontalSampling[1];
            int v = verticalSampling[1];
            if (h == hMax && v == vMax) {
                throw JpegException.unsupported("4:4:4 chroma subsampling not supported by RFC 2435; encode 4:2:0 "
                        + "(for GStreamer put video/x-raw,format=I420 before jpegenc) or 4:2:2");
            }
            if (hMax == 2 * h && vMax == v) {
                return ChromaSubsampling.YCBCR_422;
            }
            if (hMax == 2 * h && vMax == 2 * v) {
                return ChromaSubsampling.YCBCR_420;
            }
        }
        throw JpegException.unsupported("chroma subsampling Y " + factors(0) + ", Cb " + factors(1) + ", Cr "
                + factors(2) + " not supported by RFC 2435 (needs chroma halved horizontally, and vertically or not)");
    }

    /**
     * True when the sampling factors are literally those of a {@link ChromaSubsampling} layout, the ones RFC 2435
     * receivers write: Y 2x1 or 2x2, chroma 1x1.
     */
    public boolean standardMcuLayout() {
        return componentCount == 3 && horizontalSampling[0] == 2 && (verticalSampling[0] == 1 || verticalSampling[0] == 2)
                && horizontalSampling[1] == 1 && verticalSampling[1] == 1
                && horizontalSampling[2] == 1 && verticalSampling[2] == 1;
    }

    /** True when the scan just read holds Y, Cb and Cr interleaved, in the frame's order. */
    public boolean scanInterleavedInFrameOrder() {
        boolean inFrameOrder = scanComponentCount == 3;
        for (int s = 0; s < scanComponentCount; s++) {
            inFrameOrder &= scanComponent[s] == s;
        }
        return inFrameOrder;
    }

    /**
     * True when the scan just read (three components) codes Y with the Annex K luma tables and Cb and Cr with the
     * chroma ones: what every RFC 2435 receiver assumes.
     */
    public boolean scanUsesStandardHuffmanTables() {
        for (int s = 0; s < 3; s++) {
            boolean luma = s == 0;
            if (!huffmanIsStandard(scanDcSlot[s], luma) || !huffmanIsStandard(4 + scanAcSlot[s], luma)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether Huffman slot {@code slot} (DC 0..3, AC 4..7) holds exactly the Annex K luma ({@code luma}) or chroma
     * table of its class, the only tables an RFC 2435 receiver knows.
     */
    boolean huffmanIsStandard(int slot, boolean luma) {
        int offset = huffmanOffset[slot];
        if (offset == HUFFMAN_STANDARD_LUMA || offset == HUFFMAN_STANDARD_CHROMA) {
            return luma == (offset == HUFFMAN_STANDARD_LUMA);
        }
        if (offset == HUFFMAN_UNDEFINED) {
            return false;
        }
        boolean dc = slot < 4;
        byte[] bits = dc ? (luma ? JpegStandardTables.LUMA_DC_BITS : JpegStandardTables.CHROMA_DC_BITS)
                : (luma ? JpegStandardTables.LUMA_AC_BITS : JpegStandardTables.CHROMA_AC_BITS);
        byte[] values = dc ? (luma ? JpegStandardTables.LUMA_DC_VALUES : JpegStandardTables.CHROMA_DC_VALUES)
                : (luma ? JpegStandardTables.LUMA_AC_VALUES : JpegStandardTables.CHROMA_AC_VALUES);
        int valuesOffset = offset + 16;
        return Arrays.equals(data, offset, valuesOffset, bits, 0, 16)
                && valuesOffset + values.length <= end
                && Arrays.equals(data, valuesOffset, valuesOffset + values.length, values, 0, values.length);
    }

    /** Entry {@code zigzag} (0..63) of quantization slot {@code slot}, which must be defined. */
    public int quantizer(int slot, int zigzag) {
        int offset = quantizationOffset[slot];
        return quantizationPrecision[slot] == 0 ? u8(offset + zigzag) : u16(offset + 2 * zigzag);
    }

    /**
     * Checks that every component names a defined quantization table.
     *
     * @throws JpegException when one does not
     */
    public void requireQuantizationTables() {
        for (int c = 0; c < componentCount; c++) {
            if (quantizationOffset[quantizationSlot[c]] < 0) {
                throw JpegException.invalid("corrupt JPEG: a component uses a quantization table no DQT defines");
            }
        }
    }

    String factors(int component) {
        return horizontalSampling[component] + "x" + verticalSampling[component];
    }

    int u8(int at) {
        return data[at] & 0xFF;
    }

    int u16(int at) {
        return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
    }
}
