package dev.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * Entropy-decodes every scan of a Huffman-coded JPEG, sequential (baseline or extended, interleaved or not) or
 * progressive (spectral selection and successive approximation, T.81 Annex G), into its quantized DCT coefficients.
 * It never computes a pixel: what it returns is exactly what any decoder would dequantize and transform.
 *
 * <p>Strict where a lossless transcode needs certainty: entropy-coded data that ends before the last MCU, a restart
 * marker out of sequence, a Huffman code no table defines, or a progressive image whose scans leave coefficients
 * incomplete (decoders would then guess them, each its own way) is reported, never guessed. Memory is the
 * coefficients themselves, two bytes per sample, and is bounded twice before it is taken: by {@link #MAX_PIXELS}, and
 * by what the entropy-coded data can hold at the fewest bits a block can cost.
 */
final class CoefficientDecoder {

    /**
     * The largest image decoded to coefficients: 4096x2160 (DCI 4K, which holds UHD's 3840x2160). Its coefficients
     * take two bytes per sample, 35 MB at 4:2:2; a JPEG declaring more is far more likely hostile than a camera's.
     */
    static final int MAX_WIDTH = 4096;
    static final int MAX_HEIGHT = 2160;
    static final long MAX_PIXELS = (long) MAX_WIDTH * MAX_HEIGHT;
    /**
     * The fewest bits a block can be coded in: a sequential scan spends at least a DC code and an end-of-block (one
     * bit each with the shortest Huffman codes), a progressive image at least the DC code of its first DC scan, as its
     * AC scans may skip up to 32767 blocks in one end-of-band run. A declared size needing fewer bits than the scans
     * hold is a lie, caught before the memory is taken; this keeps the coefficients within 512 (sequential) or 1024
     * (progressive) times the input's size.
     */
    private static final int MIN_SEQUENTIAL_BLOCK_BITS = 2;
    private static final int MIN_PROGRESSIVE_BLOCK_BITS = 1;
    /** Largest DC difference category of 8-bit samples (T.81 F.1.2.1). */
    private static final int MAX_DC_CATEGORY = 11;
    private static final int NOT_CODED = -1;

    private final JpegHeaders headers;
    private final byte[] data;
    /** End of the JPEG in {@link #data}. */
    private final int end;
    private final DctCoefficients image;
    private final boolean progressive;
    /** Per component and zig-zag index, the successive approximation bit last coded (0: final), or NOT_CODED. */
    private final int[][] coefficientBits;
    private final boolean[] componentScanned;

    private final HuffmanDecodingTable[] tables = new HuffmanDecodingTable[8];
    /** Per slot, the table a DHT of this image is loaded into; the Annex K ones are shared and never loaded. */
    private final HuffmanDecodingTable[] reusableTables;
    private final int[] tableSource = new int[8];
    private final int[] predictor = new int[JpegHeaders.MAX_COMPONENTS];
    private int endOfBandRun;

    // The bit reader: bits are taken from the high end of the valid part of {@code buffer}.
    private int pos;
    private long buffer;
    private int bits;
    /** Zero bits appended to {@code buffer} after the entropy-coded data ended; consuming them means truncation. */
    private int paddingBits;
    /** Offset of the 0xFF of the marker that ended the entropy-coded data, -1 until reached. */
    private int markerOffset;

    private CoefficientDecoder(JpegHeaders headers, short[][] reusable, HuffmanDecodingTable[] reusableTables) {
        this.headers = headers;
        this.reusableTables = reusableTables;
        this.data = headers.data;
        this.end = headers.end;
        this.progressive = headers.progressive();
        this.image = allocate(headers, reusable);
        this.coefficientBits = new int[headers.componentCount][64];
        for (int[] component : coefficientBits) {
            Arrays.fill(component, NOT_CODED);
        }
        this.componentScanned = new boolean[headers.componentCount];
        Arrays.fill(tableSource, Integer.MIN_VALUE);
    }

    /**
     * Decodes the scan {@code headers} has just read and every scan after it, up to EOI.
     *
     * @param reusable one slot per component ({@link JpegHeaders#MAX_COMPONENTS}): a coefficient array large enough
     *                 is zeroed and decoded into, a missing or smaller one is replaced by a new array left in the slot
     *                 for the next frame. The result's {@link DctCoefficients#blocks} are these arrays, so they are
     *                 valid only until the next decode with the same slots.
     * @param reusableTables one slot per Huffman table slot (8: DC 0-3, AC 0-3), likewise: the image's DHT tables are
     *                 loaded into the tables found there, or new ones left there
     * @throws JpegException for corrupt or truncated entropy-coded data, or (unsupported) a progressive image whose
     *                       coefficients are left incomplete
     */
    static DctCoefficients decode(JpegHeaders headers, short[][] reusable, HuffmanDecodingTable[] reusableTables) {
        CoefficientDecoder decoder = new CoefficientDecoder(headers, reusable, reusableTables);
        int marker = JpegMarker.SOS;
        while (marker == JpegMarker.SOS) {
            decoder.decodeScan();
            marker = headers.readUntilScan(decoder.endOfScan());
        }
        decoder.checkComplete();
        return decoder.image;
    }

    private static DctCoefficients allocate(JpegHeaders headers, short[][] reusable) {
        long pixels = (long) headers.width * headers.height;
        if (pixels > MAX_PIXELS) {
            throw JpegException.unsupported("JPEG declares " + headers.width + "x" + headers.height + " pixels, "
                    + "beyond the transcoder's limit of " + MAX_PIXELS + " (" + MAX_WIDTH + "x" + MAX_HEIGHT + ")");
        }
        DctCoefficients image = new DctCoefficients(headers.width, headers.height, headers.componentCount);
        int mcusWide = ceilDiv(headers.width, 8 * headers.maxHorizontalSampling);
        int mcusHigh = ceilDiv(headers.height, 8 * headers.maxVerticalSampling);
        for (int c = 0; c < headers.componentCount; c++) {
            int h = headers.horizontalSampling[c];
            int v = headers.verticalSampling[c];
            image.usedBlocksWide[c] = ceilDiv(ceilDiv(headers.width * h, headers.maxHorizontalSampling), 8);
            image.usedBlocksHigh[c] = ceilDiv(ceilDiv(headers.height * v, headers.maxVerticalSampling), 8);
            // A single-component frame is never interleaved: its MCU is one block, its grid just covers the samples.
            image.blocksWide[c] = headers.componentCount == 1 ? image.usedBlocksWide[c] : mcusWide * h;
            image.blocksHigh[c] = headers.componentCount == 1 ? image.usedBlocksHigh[c] : mcusHigh * v;
        }
        long usedBlocks = 0;
        for (int c = 0; c < headers.componentCount; c++) {
            usedBlocks += (long) image.usedBlocksWide[c] * image.usedBlocksHigh[c];
        }
        long codedBits = 8L * (headers.end - headers.scanDataOffset);
        int blockBits = headers.progressive() ? MIN_PROGRESSIVE_BLOCK_BITS : MIN_SEQUENTIAL_BLOCK_BITS;
        if (usedBlocks * blockBits > codedBits) {
            throw JpegException.invalid("truncated JPEG: " + headers.width + "x" + headers.height + " needs "
                    + usedBlocks + " blocks of at least " + blockBits + " bit(s) each, more than its " + codedBits / 8
                    + " bytes of entropy-coded data can hold");
        }
        for (int c = 0; c < headers.componentCount; c++) {
            int length = 64 * image.blocksWide[c] * image.blocksHigh[c];
            if (reusable[c] == null || reusable[c].length < length) {
                reusable[c] = new short[length];
            } else {
                // Blocks no scan reaches stay zero, and progressive scans add to what is there.
                Arrays.fill(reusable[c], 0, length, (short) 0);
            }
            image.blocks[c] = reusable[c];
        }
        return image;
    }

    private void decodeScan() {
        checkScanParameters();
        for (int s = 0; s < headers.scanComponentCount; s++) {
            int c = headers.scanComponent[s];
            if (image.quantizers[c] == null) {
                latchQuantizer(c);
            }
            predictor[s] = 0;
        }
        endOfBandRun = 0;
        pos = headers.scanDataOffset;
        buffer = 0;
        bits = 0;
        paddingBits = 0;
        markerOffset = -1;

        boolean single = headers.scanComponentCount == 1;
        int first = headers.scanComponent[0];
        int mcusWide = single ? image.usedBlocksWide[first]
                : ceilDiv(headers.width, 8 * headers.maxHorizontalSampling);
        int mcusHigh = single ? image.usedBlocksHigh[first]
                : ceilDiv(headers.height, 8 * headers.maxVerticalSampling);
        int mcus = mcusWide * mcusHigh;
        int interval = headers.restartInterval;
        int restarts = 0;
        for (int mcu = 0; mcu < mcus; mcu++) {
            if (interval > 0 && mcu > 0 && mcu % interval == 0) {
                restart(restarts++);
            }
            int mcuX = mcu % mcusWide;
            int mcuY = mcu / mcusWide;
            if (single) {
                decodeBlock(0, image.blockOffset(first, mcuX, mcuY));
            } else {
                for (int s = 0; s < headers.scanComponentCount; s++) {
                    int c = headers.scanComponent[s];
                    int h = headers.horizontalSampling[c];
                    int v = headers.verticalSampling[c];
                    for (int y = 0; y < v; y++) {
                        for (int x = 0; x < h; x++) {
                            decodeBlock(s, image.blockOffset(c, mcuX * h + x, mcuY * v + y));
                        }
                    }
                }
            }
            if (bits < paddingBits) {
                throw JpegException.invalid("truncated JPEG: entropy-coded data ends in MCU " + (mcu + 1) + " of "
                        + mcus + " of a scan");
            }
        }
        recordScan();
    }

    private void decodeBlock(int scanIndex, int offset) {
        int c = headers.scanComponent[scanIndex];
        short[] block = image.blocks[c];
        if (!progressive) {
            decodeSequential(scanIndex, block, offset);
        } else if (headers.spectralStart == 0) {
            if (headers.approximationHigh == 0) {
                decodeDcFirst(scanIndex, block, offset);
            } else if (bit() != 0) {
                block[offset] |= (short) (1 << headers.approximationLow);
            }
        } else if (headers.approximationHigh == 0) {
            decodeAcFirst(tables[4 + headers.scanAcSlot[scanIndex]], block, offset);
        } else {
            decodeAcRefinement(tables[4 + headers.scanAcSlot[scanIndex]], block, offset);
        }
    }

    private void decodeSequential(int scanIndex, short[] block, int offset) {
        block[offset] = (short) nextDc(scanIndex);
        HuffmanDecodingTable ac = tables[4 + headers.scanAcSlot[scanIndex]];
        for (int k = 1; k < 64; k++) {
            int symbol = decodeSymbol(ac);
            int run = symbol >> 4;
            int size = symbol & 0x0F;
            if (size == 0) {
                if (run != 15) {
                    return; // end of block
                }
                k += 15;
                continue;
            }
            k += run;
            if (k > 63) {
                throw JpegException.invalid("corrupt JPEG: AC coefficients run past the end of a block");
            }
            block[offset + k] = (short) extend(valueBits(size), size);
        }
    }

    /** Decodes a DC difference and returns the component's new DC value. */
    private int nextDc(int scanIndex) {
        int size = decodeSymbol(tables[headers.scanDcSlot[scanIndex]]);
        if (size > MAX_DC_CATEGORY) {
            throw JpegException.invalid("corrupt JPEG: DC difference of category " + size + " in an 8-bit image");
        }
        int value = predictor[scanIndex] + (size == 0 ? 0 : extend(valueBits(size), size));
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw JpegException.invalid("corrupt JPEG: DC coefficient " + value + " out of range");
        }
        predictor[scanIndex] = value;
        return value;
    }

    private void decodeDcFirst(int scanIndex, short[] block, int offset) {
        block[offset] = coefficient(nextDc(scanIndex) << headers.approximationLow);
    }

    private void decodeAcFirst(HuffmanDecodingTable ac, short[] block, int offset) {
        if (endOfBandRun > 0) {
            endOfBandRun--;
            return;
        }
        int end = headers.spectralEnd;
        int shift = headers.approximationLow;
        for (int k = headers.spectralStart; k <= end; k++) {
            int symbol = decodeSymbol(ac);
            int run = symbol >> 4;
            int size = symbol & 0x0F;
            if (size != 0) {
                k += run;
                if (k > end) {
                    throw JpegException.invalid("corrupt JPEG: AC coefficients run past the end of a band");
                }
                block[offset + k] = coefficient(extend(receive(size), size) << shift);
            } else if (run == 15) {
                k += 15;
            } else {
                endOfBandRun = (1 << run) - 1 + (run > 0 ? receive(run) : 0);
                return;
            }
        }
    }

    /** T.81 G.1.2.3: correction bits for non-zero coefficients, new coefficients of magnitude 1 among the zeros. */
    private void decodeAcRefinement(HuffmanDecodingTable ac, short[] block, int offset) {
        int end = headers.spectralEnd;
        int plusOne = 1 << headers.approximationLow;
        int minusOne = -1 << headers.approximationLow;
        int k = headers.spectralStart;
        if (endOfBandRun == 0) {
            for (; k <= end; k++) {
                int symbol = decodeSymbol(ac);
                int zerosToSkip = symbol >> 4;
                int size = symbol & 0x0F;
                int newValue = 0;
                if (size != 0) {
                    if (size != 1) {
                        throw JpegException.invalid("corrupt JPEG: refinement coefficient of size " + size);
                    }
                    newValue = bit() != 0 ? plusOne : minusOne;
                } else if (zerosToSkip != 15) {
                    endOfBandRun = (1 << zerosToSkip) + (zerosToSkip > 0 ? receive(zerosToSkip) : 0);
                    break;
                }
                do {
                    int coefficient = block[offset + k];
                    if (coefficient != 0) {
                        refine(block, offset + k, coefficient, plusOne, minusOne);
                    } else if (--zerosToSkip < 0) {
                        break;
                    }
                    k++;
                } while (k <= end);
                if (newValue != 0) {
                    if (k > end) {
                        throw JpegException.invalid("corrupt JPEG: refinement runs past the end of a band");
                    }
                    block[offset + k] = (short) newValue;
                }
            }
        }
        if (endOfBandRun > 0) {
            for (; k <= end; k++) {
                int coefficient = block[offset + k];
                if (coefficient != 0) {
                    refine(block, offset + k, coefficient, plusOne, minusOne);
                }
            }
            endOfBandRun--;
        }
    }

    private void refine(short[] block, int at, int coefficient, int plusOne, int minusOne) {
        if (bit() != 0 && (coefficient & plusOne) == 0) {
            block[at] = (short) (coefficient >= 0 ? coefficient + plusOne : coefficient + minusOne);
        }
    }

    private void checkScanParameters() {
        int ss = headers.spectralStart;
        int se = headers.spectralEnd;
        int ah = headers.approximationHigh;
        int al = headers.approximationLow;
        if (!progressive) {
            if (ss != 0 || se != 63 || ah != 0 || al != 0) {
                throw JpegException.invalid("corrupt JPEG: sequential scan with Ss=" + ss + ", Se=" + se + ", Ah=" + ah
                        + ", Al=" + al + " (must be 0, 63, 0, 0)");
            }
            for (int s = 0; s < headers.scanComponentCount; s++) {
                int c = headers.scanComponent[s];
                if (componentScanned[c]) {
                    throw JpegException.invalid("corrupt JPEG: component " + headers.componentId[c]
                            + " in two sequential scans");
                }
                requireTable(headers.scanDcSlot[s]);
                requireTable(4 + headers.scanAcSlot[s]);
            }
            return;
        }
        boolean dc = ss == 0;
        if (al > 13 || (dc && se != 0) || (!dc && (se < ss || se > 63 || headers.scanComponentCount != 1))) {
            throw JpegException.invalid("corrupt JPEG: progressive scan with Ss=" + ss + ", Se=" + se + ", Ah=" + ah
                    + ", Al=" + al + " over " + headers.scanComponentCount + " component(s)");
        }
        for (int s = 0; s < headers.scanComponentCount; s++) {
            int[] known = coefficientBits[headers.scanComponent[s]];
            if (!dc && known[0] == NOT_CODED) {
                throw JpegException.invalid("corrupt JPEG: progressive AC scan before the component's DC scan");
            }
            for (int k = ss; k <= se; k++) {
                boolean expected = ah == 0 ? known[k] == NOT_CODED : known[k] == ah && al == ah - 1;
                if (!expected) {
                    throw JpegException.invalid("corrupt JPEG: progressive scan refines coefficient " + k
                            + " from bit " + ah + " to " + al + ", but it stands at " + known[k]);
                }
            }
            if (dc && ah == 0) {
                requireTable(headers.scanDcSlot[s]);
            }
            if (!dc) {
                requireTable(4 + headers.scanAcSlot[s]);
            }
        }
    }

    private void recordScan() {
        for (int s = 0; s < headers.scanComponentCount; s++) {
            int c = headers.scanComponent[s];
            componentScanned[c] = true;
            if (progressive) {
                for (int k = headers.spectralStart; k <= headers.spectralEnd; k++) {
                    coefficientBits[c][k] = headers.approximationLow;
                }
            }
        }
    }

    private void checkComplete() {
        for (int c = 0; c < headers.componentCount; c++) {
            if (!componentScanned[c]) {
                throw JpegException.invalid("truncated JPEG: no scan codes component " + headers.componentId[c]);
            }
            if (!progressive) {
                continue;
            }
            for (int k = 0; k < 64; k++) {
                if (coefficientBits[c][k] != 0) {
                    throw JpegException.unsupported("incomplete progressive JPEG (coefficient " + k + " of component "
                            + headers.componentId[c] + " not fully coded) not supported: decoders estimate what is "
                            + "missing, each differently, so no baseline copy decodes alike");
                }
            }
        }
    }

    private void requireTable(int slot) {
        int source = headers.huffmanOffset[slot];
        if (source == JpegHeaders.HUFFMAN_UNDEFINED) {
            throw JpegException.invalid("corrupt JPEG: a scan uses " + (slot < 4 ? "DC" : "AC")
                    + " Huffman table " + (slot & 3) + ", which no DHT defines");
        }
        if (tableSource[slot] != source) {
            boolean dc = slot < 4;
            if (source == JpegHeaders.HUFFMAN_STANDARD_LUMA) {
                tables[slot] = dc ? StandardTables.LUMA_DC : StandardTables.LUMA_AC;
            } else if (source == JpegHeaders.HUFFMAN_STANDARD_CHROMA) {
                tables[slot] = dc ? StandardTables.CHROMA_DC : StandardTables.CHROMA_AC;
            } else {
                if (reusableTables[slot] == null) {
                    reusableTables[slot] = new HuffmanDecodingTable();
                }
                reusableTables[slot].load(data, source, data, source + 16);
                tables[slot] = reusableTables[slot];
            }
            tableSource[slot] = source;
        }
    }

    private void latchQuantizer(int component) {
        int slot = headers.quantizationSlot[component];
        if (headers.quantizationOffset[slot] < 0) {
            throw JpegException.invalid("corrupt JPEG: a component uses a quantization table no DQT defines");
        }
        int[] table = new int[64];
        for (int k = 0; k < 64; k++) {
            table[k] = headers.quantizer(slot, k);
            if (table[k] == 0) {
                throw JpegException.invalid("corrupt JPEG: quantization table " + slot + " holds a zero");
            }
        }
        image.quantizers[component] = table;
    }

    private void restart(int count) {
        int marker = findMarker();
        int at = marker;
        while (at < end && data[at] == (byte) 0xFF) {
            at++; // the marker's 0xFF and any fill bytes before it
        }
        int code = at < end ? data[at] & 0xFF : -1;
        int expected = JpegMarker.RST0 + (count & 7);
        if (code != expected) {
            throw JpegException.invalid("corrupt JPEG: expected restart marker " + JpegMarker.hex(expected)
                    + " at offset " + marker + ", found " + (code < 0 ? "the end of the data" : JpegMarker.hex(code)));
        }
        pos = at + 1;
        buffer = 0;
        bits = 0;
        paddingBits = 0;
        markerOffset = -1;
        endOfBandRun = 0;
        Arrays.fill(predictor, 0);
    }

    /** Offset just past the last scan's entropy-coded data: its terminating marker. */
    private int endOfScan() {
        int marker = findMarker();
        if (marker >= end) {
            throw JpegException.invalid("truncated JPEG: no EOI marker after the scan data");
        }
        return marker;
    }

    /** The 0xFF of the marker ending the current entropy-coded segment, skipping any bytes the MCUs did not use. */
    private int findMarker() {
        if (markerOffset >= 0) {
            return markerOffset;
        }
        int at = pos;
        while (at < end) {
            if (data[at] != (byte) 0xFF) {
                at++;
                continue;
            }
            int next = at + 1;
            while (next < end && data[next] == (byte) 0xFF) {
                next++; // fill bytes before a marker
            }
            if (next < end && data[next] == 0) {
                at = next + 1; // a stuffed 0xFF data byte
                continue;
            }
            return next - 1;
        }
        return end;
    }

    private int decodeSymbol(HuffmanDecodingTable table) {
        if (bits < 32) {
            fill();
        }
        int entry = table.lookahead[(int) (buffer >>> (bits - HuffmanDecodingTable.LOOKAHEAD_BITS)) & 0x1FF];
        if (entry != 0) {
            bits -= entry >> 8;
            return entry & 0xFF;
        }
        int next16 = (int) (buffer >>> (bits - 16)) & 0xFFFF;
        for (int length = HuffmanDecodingTable.LOOKAHEAD_BITS + 1; length <= 16; length++) {
            int code = next16 >>> (16 - length);
            if (code <= table.maxCode[length]) {
                bits -= length;
                return table.symbols[code + table.symbolIndexDelta[length]];
            }
        }
        throw JpegException.invalid("corrupt JPEG: entropy-coded data holds a code no Huffman table defines");
    }

    /**
     * The {@code count} (1..15) bits after a symbol just decoded: {@link #decodeSymbol} left at least 16 in the
     * buffer, so no refill is needed.
     */
    private int valueBits(int count) {
        bits -= count;
        return (int) (buffer >>> bits) & ((1 << count) - 1);
    }

    /** The next {@code count} (1..16) bits as an unsigned number. */
    private int receive(int count) {
        if (bits < count) {
            fill();
        }
        bits -= count;
        return (int) (buffer >>> bits) & ((1 << count) - 1);
    }

    private int bit() {
        if (bits < 1) {
            fill();
        }
        bits--;
        return (int) (buffer >>> bits) & 1;
    }

    /** A decoded coefficient, which must fit the 16 bits every decoder stores it in. */
    private static short coefficient(int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw JpegException.invalid("corrupt JPEG: DCT coefficient " + value + " out of range");
        }
        return (short) value;
    }

    /** T.81 F.2.2.1 EXTEND: the {@code size}-bit pattern as a signed value. */
    private static int extend(int value, int size) {
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /** Tops the buffer up to more than 56 bits, un-stuffing 0xFF00 and padding with zeros once a marker is reached. */
    private void fill() {
        while (bits <= 56) {
            int next = 0;
            if (markerOffset < 0 && pos < end) {
                next = data[pos] & 0xFF;
                if (next != 0xFF) {
                    pos++;
                } else if (pos + 1 < end && data[pos + 1] == 0) {
                    pos += 2;
                } else {
                    markerOffset = pos;
                    next = 0;
                    paddingBits += 8;
                }
            } else {
                if (markerOffset < 0) {
                    markerOffset = end;
                }
                paddingBits += 8;
            }
            buffer = buffer << 8 | next;
            bits += 8;
        }
    }

    private static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }

    /** The Annex K tables, decoded once: what a JPEG without DHT segments implies. */
    private static final class StandardTables {
        static final HuffmanDecodingTable LUMA_DC =
                HuffmanDecodingTable.standard(JpegStandardTables.LUMA_DC_BITS, JpegStandardTables.LUMA_DC_VALUES);
        static final HuffmanDecodingTable LUMA_AC =
                HuffmanDecodingTable.standard(JpegStandardTables.LUMA_AC_BITS, JpegStandardTables.LUMA_AC_VALUES);
        static final HuffmanDecodingTable CHROMA_DC =
                HuffmanDecodingTable.standard(JpegStandardTables.CHROMA_DC_BITS, JpegStandardTables.CHROMA_DC_VALUES);
        static final HuffmanDecodingTable CHROMA_AC =
                HuffmanDecodingTable.standard(JpegStandardTables.CHROMA_AC_BITS, JpegStandardTables.CHROMA_AC_VALUES);
    }
}
