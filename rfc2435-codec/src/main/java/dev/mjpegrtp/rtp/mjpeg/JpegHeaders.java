package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;

/**
 * Walks the marker segments of a JPEG in order and keeps what is in effect at each scan: the frame header (SOF), the
 * quantization and Huffman tables by slot, the restart interval, the JFIF/Adobe colour hints, and the header of the
 * scan just reached. {@link JpegParser} reads up to the first scan; {@link CoefficientDecoder} goes on from there
 * through every further scan, because progressive and multi-scan files redefine tables between scans.
 *
 * <p>Every length is checked against the input before it is read, and whatever RFC 2435 can never carry (arithmetic
 * coding, lossless or hierarchical JPEG, samples other than 8 bits, CMYK) is rejected as soon as its marker is seen.
 * Nothing is copied: tables are kept as offsets into the input. One instance reads one image on one thread.
 */
final class JpegHeaders {

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

    /** Checks the SOI marker; the reading starts after it. */
    void start() {
        if (end >= 4 && u8(0) == 0x89 && u8(1) == 'P' && u8(2) == 'N' && u8(3) == 'G') {
            throw new InvalidJpegException("not a JPEG: the data is a PNG image");
        }
        if (end < 4 || u8(0) != 0xFF || u8(1) != JpegMarker.SOI) {
            throw new InvalidJpegException("not a JPEG: no SOI marker at the start (" + end + " bytes)");
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
                    throw new InvalidJpegException("JPEG ends (EOI) before any scan data");
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
                throw new UnsupportedJpegException("lossless JPEG not supported by RFC 2435");
            case JpegMarker.SOF5, 0xC6 -> throw new UnsupportedJpegException("hierarchical JPEG not supported by RFC 2435");
            case JpegMarker.SOF9, 0xCA, JpegMarker.SOF13, 0xCE, JpegMarker.DAC ->
                throw new UnsupportedJpegException("arithmetic-coded JPEG not supported by RFC 2435");
            case JpegMarker.JPG -> throw new UnsupportedJpegException("JPEG extension (SOF8) not supported by RFC 2435");
            case JpegMarker.DNL ->
                throw new UnsupportedJpegException("JPEG whose height follows the scan (DNL) not supported by RFC 2435");
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
            throw new InvalidJpegException(frameSeen
                    ? "truncated JPEG: no EOI marker after the scan data"
                    : "truncated JPEG: no scan (SOS) before the end of the data");
        }
        if (u8(pos) != 0xFF) {
            throw new InvalidJpegException("corrupt JPEG: expected a marker at offset " + pos
                    + ", found 0x" + Integer.toHexString(u8(pos)));
        }
        while (pos < end && u8(pos) == 0xFF) {
            pos++;
        }
        if (pos >= end) {
            throw new InvalidJpegException("truncated JPEG: data ends inside a marker");
        }
        return u8(pos++);
    }

    private int segmentLength(int marker) {
        if (pos + 2 > end) {
            throw new InvalidJpegException("truncated JPEG: segment " + JpegMarker.hex(marker) + " has no length");
        }
        int length = u16(pos);
        if (length < 2 || pos + length > end) {
            throw new InvalidJpegException("truncated JPEG: segment " + JpegMarker.hex(marker) + " at offset "
                    + (pos - 2) + " declares " + length + " bytes, " + (end - pos) + " remain");
        }
        return length;
    }

    private void readFrameHeader(int marker, int start, int end) {
        if (frameSeen) {
            throw new InvalidJpegException("corrupt JPEG: more than one SOF segment");
        }
        frameSeen = true;
        frameMarker = marker;
        if (end - start < 6) {
            throw new InvalidJpegException("corrupt JPEG: SOF segment too short");
        }
        int precision = u8(start);
        height = u16(start + 1);
        width = u16(start + 3);
        int components = u8(start + 5);
        if (precision != 8) {
            throw new UnsupportedJpegException(precision + "-bit JPEG not supported by RFC 2435 (8-bit samples only)");
        }
        if (end - start != 6 + 3 * components) {
            throw new InvalidJpegException("corrupt JPEG: SOF length does not match its " + components + " components");
        }
        if (components == 4) {
            throw new UnsupportedJpegException("CMYK (4-component) JPEG not supported by RFC 2435");
        }
        if (components != 1 && components != 3) {
            throw new UnsupportedJpegException(components + "-component JPEG not supported by RFC 2435");
        }
        if (width == 0 || height == 0) {
            throw new UnsupportedJpegException("JPEG without width or height in its SOF (DNL) not supported by RFC 2435");
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
                throw new InvalidJpegException("corrupt JPEG: sampling factors " + factors(c) + " of component " + c);
            }
            if (quantizationSlot[c] > 3) {
                throw new InvalidJpegException("corrupt JPEG: quantization table " + quantizationSlot[c] + " out of range");
            }
            for (int other = 0; other < c; other++) {
                if (componentId[other] == componentId[c]) {
                    throw new InvalidJpegException("corrupt JPEG: two components with id " + componentId[c]);
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
                throw new InvalidJpegException("corrupt JPEG: DQT table " + slot + " with precision " + precision);
            }
            int size = precision == 0 ? QuantizationTables.TABLE_SIZE : 2 * QuantizationTables.TABLE_SIZE;
            if (at + 1 + size > end) {
                throw new InvalidJpegException("truncated JPEG: DQT table " + slot + " runs past its segment");
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
                throw new InvalidJpegException("corrupt JPEG: bad DHT table header at offset " + at);
            }
            int count = 0;
            for (int i = 1; i <= 16; i++) {
                count += u8(at + i);
            }
            int valuesEnd = at + 17 + count;
            if (count > 256 || valuesEnd > end) {
                throw new InvalidJpegException("corrupt JPEG: DHT table runs past its segment");
            }
            huffmanOffset[tableClass * 4 + slot] = at + 1;
            at = valuesEnd;
        }
    }

    private void readRestartInterval(int start, int end) {
        if (end - start != 2) {
            throw new InvalidJpegException("corrupt JPEG: DRI segment of " + (end - start + 2) + " bytes");
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
            throw new InvalidJpegException("corrupt JPEG: scan (SOS) before the frame header (SOF)");
        }
        int length = segmentLength(JpegMarker.SOS);
        int start = pos + 2;
        int components = length >= 3 ? u8(start) : 0;
        if (components < 1 || components > componentCount || length != 6 + 2 * components) {
            throw new InvalidJpegException("corrupt JPEG: SOS segment of " + length + " bytes for " + components
                    + " component(s)");
        }
        int blocks = 0;
        for (int s = 0; s < components; s++) {
            int at = start + 1 + 2 * s;
            int index = componentIndex(u8(at));
            for (int other = 0; other < s; other++) {
                if (scanComponent[other] == index) {
                    throw new InvalidJpegException("corrupt JPEG: component " + u8(at) + " twice in one scan");
                }
            }
            scanComponent[s] = index;
            scanDcSlot[s] = u8(at + 1) >> 4;
            scanAcSlot[s] = u8(at + 1) & 0x0F;
            if (scanDcSlot[s] > 3 || scanAcSlot[s] > 3) {
                throw new InvalidJpegException("corrupt JPEG: Huffman table selector out of range in SOS");
            }
            blocks += horizontalSampling[index] * verticalSampling[index];
        }
        if (components > 1 && blocks > MAX_BLOCKS_PER_MCU) {
            throw new InvalidJpegException("corrupt JPEG: " + blocks + " blocks per MCU (at most 10)");
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
        throw new InvalidJpegException("corrupt JPEG: scan names component " + id + ", which the frame does not have");
    }

    /** True for progressive (SOF2) frames. */
    boolean progressive() {
        return frameMarker == JpegMarker.SOF2;
    }

    /**
     * The RFC 2435 type the image's sampling maps to, 0 (4:2:2) or 1 (4:2:0), whatever the MCU layout; grayscale
     * maps to 1 (its chroma will be neutral).
     *
     * @throws UnsupportedJpegException when the chroma sampling is neither 4:2:2 nor 4:2:0, or the components are RGB
     */
    int rfc2435Type() {
        if (componentCount == 1) {
            return 1;
        }
        if (adobeTransform == 0 || (!jfif && adobeTransform < 0 && componentId[0] == 'R' && componentId[1] == 'G'
                && componentId[2] == 'B')) {
            throw new UnsupportedJpegException("RGB-coded JPEG (no YCbCr transform) not supported by RFC 2435 (YCbCr only)");
        }
        int hMax = maxHorizontalSampling;
        int vMax = maxVerticalSampling;
        boolean lumaIsLargest = horizontalSampling[0] == hMax && verticalSampling[0] == vMax;
        boolean chromaAlike = horizontalSampling[1] == horizontalSampling[2] && verticalSampling[1] == verticalSampling[2];
        if (lumaIsLargest && chromaAlike) {
            int h = horizontalSampling[1];
            int v = verticalSampling[1];
            if (h == hMax && v == vMax) {
                throw new UnsupportedJpegException("4:4:4 chroma subsampling not supported by RFC 2435; encode 4:2:0 "
                        + "(for GStreamer put video/x-raw,format=I420 before jpegenc) or 4:2:2");
            }
            if (hMax == 2 * h && vMax == v) {
                return 0;
            }
            if (hMax == 2 * h && vMax == 2 * v) {
                return 1;
            }
        }
        throw new UnsupportedJpegException("chroma subsampling Y " + factors(0) + ", Cb " + factors(1) + ", Cr "
                + factors(2) + " not supported by RFC 2435 (needs chroma halved horizontally, and vertically or not)");
    }

    /** True when the sampling factors are literally those RFC 2435 receivers write: Y 2x1 or 2x2, chroma 1x1. */
    boolean rfc2435Sampling() {
        return componentCount == 3 && horizontalSampling[0] == 2 && (verticalSampling[0] == 1 || verticalSampling[0] == 2)
                && horizontalSampling[1] == 1 && verticalSampling[1] == 1
                && horizontalSampling[2] == 1 && verticalSampling[2] == 1;
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

    /** Entry {@code zigzag} (0..63) of quantization slot {@code slot}. */
    int quantizer(int slot, int zigzag) {
        int offset = quantizationOffset[slot];
        return quantizationPrecision[slot] == 0 ? u8(offset + zigzag) : u16(offset + 2 * zigzag);
    }

    /** Checks that every component names a defined quantization table. */
    void requireQuantizationTables() {
        for (int c = 0; c < componentCount; c++) {
            if (quantizationOffset[quantizationSlot[c]] < 0) {
                throw new InvalidJpegException("corrupt JPEG: a component uses a quantization table no DQT defines");
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
