package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;

/**
 * Reads the marker segments of a baseline JFIF/EXIF/AVI1 JPEG and checks that RFC 2435 can carry the image as it is:
 * 8-bit YCbCr, one interleaved scan, luma sampled 2x1 (type 0) or 2x2 (type 1) with 1x1 chroma, the standard
 * Annex K Huffman tables (or none, which means the same), two quantization tables at most.
 *
 * <p>Every length is checked against the input before it is read. The parser never copies: the resulting
 * {@link JpegFrame} points into the given array. It keeps no state, so one instance may serve many threads.
 */
public final class JpegParser {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int SOF3 = 0xC3;
    private static final int DHT = 0xC4;
    private static final int JPG = 0xC8;
    private static final int DAC = 0xCC;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DRI = 0xDD;
    private static final int APP14 = 0xEE;
    private static final int TEM = 0x01;

    private static final int COMPONENTS = 3;
    /** SOF sampling factors (H << 4 | V) of the luma component for RFC 2435 types 0 and 1. */
    private static final int LUMA_2X1 = 0x21;
    private static final int LUMA_2X2 = 0x22;
    private static final int CHROMA_1X1 = 0x11;

    /** What a Huffman table slot holds, as far as RFC 2435 cares. */
    private static final int HUFFMAN_UNDEFINED = 0;
    private static final int HUFFMAN_LUMA = 1;
    private static final int HUFFMAN_CHROMA = 2;
    private static final int HUFFMAN_CUSTOM = 3;

    /** The fragment offset field is 24 bits wide (RFC 2435 §3.1.2). */
    private static final int MAX_SCAN_LENGTH = 0xFFFFFF;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    /** Parses {@code data} completely. */
    public JpegFrame parse(byte[] data) {
        if (data == null || data.length == 0) {
            throw new InvalidJpegException("empty frame: no JPEG data");
        }
        return new Scan(data).parse();
    }

    /** The state of one parse; never shared. */
    private static final class Scan {
        private final byte[] data;
        private int pos;

        private final int[] tableOffset = {-1, -1, -1, -1};
        private final int[] tablePrecision = new int[4];
        /** DC slots 0..3 then AC slots 0..3; without a DHT, slots 0 and 1 hold the Annex K tables. */
        private final int[] huffman = {HUFFMAN_LUMA, HUFFMAN_CHROMA, HUFFMAN_UNDEFINED, HUFFMAN_UNDEFINED,
                                       HUFFMAN_LUMA, HUFFMAN_CHROMA, HUFFMAN_UNDEFINED, HUFFMAN_UNDEFINED};
        private final int[] componentId = new int[COMPONENTS];
        private final int[] componentTable = new int[COMPONENTS];
        private boolean frameSeen;
        private boolean adobeRgb;
        private int width;
        private int height;
        private int type;
        private int restartInterval;

        Scan(byte[] data) {
            this.data = data;
        }

        JpegFrame parse() {
            if (data.length >= PNG_SIGNATURE.length
                    && Arrays.equals(data, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
                throw new InvalidJpegException("not a JPEG: the data is a PNG image");
            }
            if (data.length < 4 || u8(0) != 0xFF || u8(1) != SOI) {
                throw new InvalidJpegException("not a JPEG: no SOI marker at the start (" + data.length + " bytes)");
            }
            pos = 2;
            while (true) {
                int marker = nextMarker();
                if (marker == SOS) {
                    int scanOffset = readSos();
                    return frame(scanOffset);
                }
                if (marker == EOI) {
                    throw new InvalidJpegException("JPEG ends (EOI) before any scan data");
                }
                if (marker == TEM || (marker >= RST0 && marker <= RST7)) {
                    continue; // standalone markers carry no length
                }
                int length = segmentLength(marker);
                int start = pos + 2;
                int end = pos + length;
                switch (marker) {
                    case SOF0, SOF1 -> readSof(start, end);
                    case SOF2, 0xC6, 0xCA, 0xCE ->
                        throw new UnsupportedJpegException("progressive JPEG not supported by RFC 2435");
                    case SOF3, 0xC7, 0xCB, 0xCF ->
                        throw new UnsupportedJpegException("lossless JPEG not supported by RFC 2435");
                    case 0xC5 -> throw new UnsupportedJpegException("hierarchical JPEG not supported by RFC 2435");
                    case 0xC9, DAC ->
                        throw new UnsupportedJpegException("arithmetic-coded JPEG not supported by RFC 2435");
                    case JPG -> throw new UnsupportedJpegException("JPEG extension (SOF8) not supported by RFC 2435");
                    case DHT -> readDht(start, end);
                    case DQT -> readDqt(start, end);
                    case DRI -> readDri(start, end);
                    case APP14 -> readAdobe(start, end);
                    default -> {
                        // APPn, COM and anything else with a length: metadata RFC 2435 does not carry.
                    }
                }
                pos = end;
            }
        }

        /** Skips fill bytes and returns the marker code; {@code pos} is left on the segment length. */
        private int nextMarker() {
            if (pos >= data.length) {
                throw new InvalidJpegException("truncated JPEG: no scan (SOS) before the end of the data");
            }
            if (u8(pos) != 0xFF) {
                throw new InvalidJpegException("corrupt JPEG: expected a marker at offset " + pos
                        + ", found 0x" + Integer.toHexString(u8(pos)));
            }
            while (pos < data.length && u8(pos) == 0xFF) {
                pos++;
            }
            if (pos >= data.length) {
                throw new InvalidJpegException("truncated JPEG: data ends inside a marker");
            }
            return u8(pos++);
        }

        private int segmentLength(int marker) {
            if (pos + 2 > data.length) {
                throw new InvalidJpegException("truncated JPEG: segment 0xFF" + hex(marker) + " has no length");
            }
            int length = u16(pos);
            if (length < 2 || pos + length > data.length) {
                throw new InvalidJpegException("truncated JPEG: segment 0xFF" + hex(marker) + " at offset " + (pos - 2)
                        + " declares " + length + " bytes, " + (data.length - pos) + " remain");
            }
            return length;
        }

        private void readSof(int start, int end) {
            if (frameSeen) {
                throw new InvalidJpegException("corrupt JPEG: more than one SOF segment");
            }
            frameSeen = true;
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
            if (components == 1) {
                throw new UnsupportedJpegException("grayscale JPEG not supported by RFC 2435 (YCbCr with 3 components only)");
            }
            if (components == 4) {
                throw new UnsupportedJpegException("CMYK (4-component) JPEG not supported by RFC 2435");
            }
            if (components != COMPONENTS) {
                throw new UnsupportedJpegException(components + "-component JPEG not supported by RFC 2435");
            }
            if (width == 0 || height == 0) {
                throw new UnsupportedJpegException("JPEG without width or height in its SOF (DNL) not supported by RFC 2435");
            }
            int[] sampling = new int[COMPONENTS];
            for (int c = 0; c < COMPONENTS; c++) {
                int at = start + 6 + 3 * c;
                componentId[c] = u8(at);
                sampling[c] = u8(at + 1);
                componentTable[c] = u8(at + 2);
                if (componentTable[c] > 3) {
                    throw new InvalidJpegException("corrupt JPEG: quantization table " + componentTable[c] + " out of range");
                }
            }
            type = typeFor(sampling);
            if (componentTable[1] != componentTable[2]) {
                throw new UnsupportedJpegException("Cb and Cr use different quantization tables; RFC 2435 carries one for both");
            }
        }

        private static int typeFor(int[] sampling) {
            if (sampling[1] == CHROMA_1X1 && sampling[2] == CHROMA_1X1) {
                if (sampling[0] == LUMA_2X1) {
                    return 0;
                }
                if (sampling[0] == LUMA_2X2) {
                    return 1;
                }
                if (sampling[0] == CHROMA_1X1) {
                    throw new UnsupportedJpegException("4:4:4 chroma subsampling not supported by RFC 2435; encode 4:2:0 "
                            + "(for GStreamer put video/x-raw,format=I420 before jpegenc) or 4:2:2");
                }
            }
            throw new UnsupportedJpegException("chroma subsampling Y " + factors(sampling[0]) + ", Cb " + factors(sampling[1])
                    + ", Cr " + factors(sampling[2]) + " not supported by RFC 2435 (needs Y 2x1 or 2x2 with 1x1 chroma)");
        }

        private static String factors(int hv) {
            return (hv >> 4) + "x" + (hv & 0x0F);
        }

        private void readDqt(int start, int end) {
            int at = start;
            while (at < end) {
                int precision = u8(at) >> 4;
                int id = u8(at) & 0x0F;
                if (precision > 1 || id > 3) {
                    throw new InvalidJpegException("corrupt JPEG: DQT table " + id + " with precision " + precision);
                }
                int size = precision == 0 ? QuantizationTables.TABLE_SIZE : 2 * QuantizationTables.TABLE_SIZE;
                if (at + 1 + size > end) {
                    throw new InvalidJpegException("truncated JPEG: DQT table " + id + " runs past its segment");
                }
                tableOffset[id] = at + 1;
                tablePrecision[id] = precision;
                at += 1 + size;
            }
        }

        private void readDht(int start, int end) {
            int at = start;
            while (at < end) {
                int tableClass = u8(at) >> 4;
                int id = u8(at) & 0x0F;
                if (tableClass > 1 || id > 3 || at + 17 > end) {
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
                huffman[tableClass * 4 + id] = classify(tableClass, at + 1, valuesEnd);
                at = valuesEnd;
            }
        }

        private int classify(int tableClass, int bitsOffset, int valuesEnd) {
            byte[] lumaBits = tableClass == 0 ? JpegStandardTables.LUMA_DC_BITS : JpegStandardTables.LUMA_AC_BITS;
            byte[] lumaValues = tableClass == 0 ? JpegStandardTables.LUMA_DC_VALUES : JpegStandardTables.LUMA_AC_VALUES;
            byte[] chromaBits = tableClass == 0 ? JpegStandardTables.CHROMA_DC_BITS : JpegStandardTables.CHROMA_AC_BITS;
            byte[] chromaValues = tableClass == 0 ? JpegStandardTables.CHROMA_DC_VALUES : JpegStandardTables.CHROMA_AC_VALUES;
            if (equalsTable(bitsOffset, valuesEnd, lumaBits, lumaValues)) {
                return HUFFMAN_LUMA;
            }
            if (equalsTable(bitsOffset, valuesEnd, chromaBits, chromaValues)) {
                return HUFFMAN_CHROMA;
            }
            return HUFFMAN_CUSTOM;
        }

        private boolean equalsTable(int bitsOffset, int valuesEnd, byte[] bits, byte[] values) {
            int valuesOffset = bitsOffset + 16;
            return valuesEnd - valuesOffset == values.length
                    && Arrays.equals(data, bitsOffset, valuesOffset, bits, 0, 16)
                    && Arrays.equals(data, valuesOffset, valuesEnd, values, 0, values.length);
        }

        private void readDri(int start, int end) {
            if (end - start != 2) {
                throw new InvalidJpegException("corrupt JPEG: DRI segment of " + (end - start + 2) + " bytes");
            }
            restartInterval = u16(start);
        }

        /** An Adobe APP14 segment with transform 0 marks RGB (not YCbCr) components. */
        private void readAdobe(int start, int end) {
            if (end - start >= 12 && u8(start) == 'A' && u8(start + 1) == 'd' && u8(start + 2) == 'o'
                    && u8(start + 3) == 'b' && u8(start + 4) == 'e') {
                adobeRgb = u8(start + 11) == 0;
            }
        }

        /** Checks the scan header and returns the offset of the entropy-coded data. */
        private int readSos() {
            if (!frameSeen) {
                throw new InvalidJpegException("corrupt JPEG: scan (SOS) before the frame header (SOF)");
            }
            int length = segmentLength(SOS);
            int start = pos + 2;
            if (length < 3) {
                throw new InvalidJpegException("corrupt JPEG: SOS segment too short");
            }
            int components = u8(start);
            if (components != COMPONENTS) {
                throw new UnsupportedJpegException("non-interleaved JPEG (a scan of " + components
                        + " component(s)) not supported by RFC 2435 (one interleaved scan only)");
            }
            if (length != 6 + 2 * components) {
                throw new InvalidJpegException("corrupt JPEG: SOS length does not match its components");
            }
            for (int c = 0; c < COMPONENTS; c++) {
                int at = start + 1 + 2 * c;
                if (u8(at) != componentId[c]) {
                    throw new UnsupportedJpegException("scan lists components in another order than the frame header");
                }
                int expected = c == 0 ? HUFFMAN_LUMA : HUFFMAN_CHROMA;
                int dc = huffman[u8(at + 1) >> 4 & 0x03];
                int ac = huffman[4 + (u8(at + 1) & 0x03)];
                if (dc == HUFFMAN_CUSTOM || ac == HUFFMAN_CUSTOM) {
                    throw new UnsupportedJpegException("optimized (non-standard) Huffman tables not supported by RFC 2435; "
                            + "encode with the standard Annex K tables (e.g. cjpeg without -optimize)");
                }
                if (dc != expected || ac != expected) {
                    throw new UnsupportedJpegException("component " + c + " uses the "
                            + (c == 0 ? "chroma" : "luma") + " Huffman tables; RFC 2435 assumes the Annex K assignment");
                }
            }
            int spectral = start + 1 + 2 * COMPONENTS;
            if (u8(spectral) != 0 || u8(spectral + 1) != 63 || u8(spectral + 2) != 0) {
                throw new UnsupportedJpegException("scan is not a baseline sequential scan (Ss=0, Se=63, Ah=Al=0)");
            }
            if (adobeRgb) {
                throw new UnsupportedJpegException("RGB-coded JPEG (Adobe transform 0) not supported by RFC 2435 (YCbCr only)");
            }
            if (width > JpegFrame.MAX_DIMENSION || height > JpegFrame.MAX_DIMENSION) {
                throw new UnsupportedJpegException(width + "x" + height + " exceeds the " + JpegFrame.MAX_DIMENSION
                        + "-pixel limit of the RFC 2435 header");
            }
            return pos + length;
        }

        private JpegFrame frame(int scanOffset) {
            int scanEnd = findEoi(scanOffset);
            if (scanEnd - scanOffset > MAX_SCAN_LENGTH) {
                throw new UnsupportedJpegException("scan of " + (scanEnd - scanOffset)
                        + " bytes exceeds the 24-bit fragment offset of RFC 2435");
            }
            int luma = componentTable[0];
            int chroma = componentTable[1];
            if (tableOffset[luma] < 0 || tableOffset[chroma] < 0) {
                throw new InvalidJpegException("corrupt JPEG: a component uses a quantization table no DQT defines");
            }
            int precision = tablePrecision[luma] | tablePrecision[chroma] << 1;
            int q = 255;
            if (precision == 0) {
                int matching = QuantizationTables.matchingQ(data, tableOffset[luma], tableOffset[chroma]);
                if (matching != 0) {
                    q = matching;
                }
            }
            int rtpType = restartInterval > 0 ? type + JpegFrame.RESTART_TYPE_OFFSET : type;
            return new JpegFrame(data, scanOffset, scanEnd - scanOffset, rtpType, width, height, restartInterval, q,
                    tableOffset[luma], tableOffset[chroma], precision);
        }

        /**
         * The EOI that closes the scan, searched from the end: entropy-coded data never contains 0xFFD9 (every 0xFF
         * in it is stuffed or starts an RST marker), and trailing bytes after EOI are tolerated.
         */
        private int findEoi(int scanOffset) {
            for (int at = data.length - 2; at >= scanOffset; at--) {
                if (u8(at) == 0xFF && u8(at + 1) == EOI) {
                    if (at == scanOffset) {
                        throw new InvalidJpegException("corrupt JPEG: the scan holds no data");
                    }
                    return at;
                }
            }
            throw new InvalidJpegException("truncated JPEG: no EOI marker after the scan data");
        }

        private int u8(int at) {
            return data[at] & 0xFF;
        }

        private int u16(int at) {
            return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
        }

        private static String hex(int marker) {
            return Integer.toHexString(marker).toUpperCase();
        }
    }
}
