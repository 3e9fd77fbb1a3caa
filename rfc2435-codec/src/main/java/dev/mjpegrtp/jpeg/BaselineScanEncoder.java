package dev.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * Entropy-codes quantized DCT coefficients as the one scan every RFC 2435 receiver decodes: baseline, three components
 * interleaved in a {@link ChromaSubsampling} layout (Y 2x1 or 2x2, Cb 1x1, Cr 1x1: RFC 2435's types 0 and 1), the
 * Annex K Huffman tables, and restart markers
 * every {@code restartInterval} MCUs when that is not 0.
 *
 * <p>Each block of the target layout is the source block at the same place in its component: the component sizes in
 * samples are the same in both layouts, only the MCU order differs. Blocks outside the samples (MCU padding, which
 * decoders crop) and the chroma of a grayscale image are coded as "no change from the previous DC, all AC zero",
 * which for chroma means the neutral value 128.
 */
final class BaselineScanEncoder {

    /** Categories the Annex K tables can code: 11 for DC differences, 10 for AC values (T.81 F.1.2). */
    private static final int MAX_DC_CATEGORY = 11;
    private static final int MAX_AC_CATEGORY = 10;
    private static final int END_OF_BLOCK = 0x00;
    private static final int SIXTEEN_ZEROS = 0xF0;
    /**
     * Most bytes one MCU can take: 6 blocks of 64 codes of at most 16 + 11 bits, each byte possibly stuffed. Checking
     * room once per MCU keeps the check out of the inner loop.
     */
    private static final int MAX_MCU_BYTES = 2 * 6 * 64 * (16 + 11) / 8 + 16;

    private static final HuffmanCodes LUMA_DC = new HuffmanCodes(JpegStandardTables.LUMA_DC_BITS,
            JpegStandardTables.LUMA_DC_VALUES);
    private static final HuffmanCodes LUMA_AC = new HuffmanCodes(JpegStandardTables.LUMA_AC_BITS,
            JpegStandardTables.LUMA_AC_VALUES);
    private static final HuffmanCodes CHROMA_DC = new HuffmanCodes(JpegStandardTables.CHROMA_DC_BITS,
            JpegStandardTables.CHROMA_DC_VALUES);
    private static final HuffmanCodes CHROMA_AC = new HuffmanCodes(JpegStandardTables.CHROMA_AC_BITS,
            JpegStandardTables.CHROMA_AC_VALUES);

    private final DctCoefficients image;
    private final int[] predictor = new int[3];
    private byte[] out;
    private int size;
    private long bitBuffer;
    private int bitCount;

    /**
     * @param out          holds the headers in {@code out[0..prefixLength)}; the scan goes after them, in a larger
     *                     copy when it does not fit ({@link #buffer()})
     * @param prefixLength bytes of headers already in {@code out}
     */
    BaselineScanEncoder(DctCoefficients image, byte[] out, int prefixLength) {
        this.image = image;
        this.out = out;
        this.size = prefixLength;
    }

    /**
     * Appends the scan, then EOI.
     *
     * @throws JpegException when a coefficient lies outside what an 8-bit baseline scan can code
     */
    void encode(ChromaSubsampling subsampling, int restartInterval) {
        encodeScan(subsampling.lumaRows(), restartInterval);
        ensureCapacity(2);
        out[size++] = (byte) 0xFF;
        out[size++] = (byte) JpegMarker.EOI;
    }

    /** The buffer holding the headers and what was encoded: the one given, or a larger copy when it filled up. */
    byte[] buffer() {
        return out;
    }

    /** Bytes of {@link #buffer()} written: the complete JPEG after {@link #encode}. */
    int length() {
        return size;
    }

    private void encodeScan(int lumaRows, int restartInterval) {
        int mcusWide = (image.width + 15) / 16;
        int mcusHigh = (image.height + 8 * lumaRows - 1) / (8 * lumaRows);
        int mcus = mcusWide * mcusHigh;
        int restarts = 0;
        for (int mcu = 0; mcu < mcus; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                restart(restarts++);
            }
            int mcuX = mcu % mcusWide;
            int mcuY = mcu / mcusWide;
            ensureCapacity(MAX_MCU_BYTES);
            for (int y = 0; y < lumaRows; y++) {
                encodeBlock(0, 2 * mcuX, lumaRows * mcuY + y, LUMA_DC, LUMA_AC);
                encodeBlock(0, 2 * mcuX + 1, lumaRows * mcuY + y, LUMA_DC, LUMA_AC);
            }
            encodeBlock(1, mcuX, mcuY, CHROMA_DC, CHROMA_AC);
            encodeBlock(2, mcuX, mcuY, CHROMA_DC, CHROMA_AC);
        }
        ensureCapacity(16);
        padToByte();
        flushBytes();
    }

    private void encodeBlock(int component, int x, int y, HuffmanCodes dc, HuffmanCodes ac) {
        boolean coded = component < image.componentCount && x < image.usedBlocksWide[component]
                && y < image.usedBlocksHigh[component];
        if (!coded) {
            emit(dc.code[0], dc.length[0]);
            emit(ac.code[END_OF_BLOCK], ac.length[END_OF_BLOCK]);
            return;
        }
        short[] blocks = image.blocks[component];
        int offset = image.blockOffset(component, x, y);
        int value = blocks[offset];
        int difference = value - predictor[component];
        predictor[component] = value;
        int category = category(difference);
        if (category > MAX_DC_CATEGORY) {
            throw JpegException.invalid("corrupt JPEG: DC difference " + difference
                    + " outside what an 8-bit baseline scan can code");
        }
        emit(dc.code[category] << category | valueBits(difference, category), dc.length[category] + category);
        // Which AC coefficients are non-zero, gathered without a branch: most are zero, and skipping them by bit
        // arithmetic instead of testing each one is what keeps a transcode fast.
        long nonZero = 0;
        for (int k = 1; k < 64; k++) {
            nonZero |= (long) ((blocks[offset + k] | -blocks[offset + k]) >>> 31) << k;
        }
        int last = 0;
        while (nonZero != 0) {
            int k = Long.numberOfTrailingZeros(nonZero);
            nonZero &= nonZero - 1;
            int run = k - last - 1;
            last = k;
            while (run > 15) {
                emit(ac.code[SIXTEEN_ZEROS], ac.length[SIXTEEN_ZEROS]);
                run -= 16;
            }
            int coefficient = blocks[offset + k];
            category = category(coefficient);
            if (category > MAX_AC_CATEGORY) {
                throw JpegException.invalid("corrupt JPEG: AC coefficient " + coefficient
                        + " outside what an 8-bit baseline scan can code");
            }
            int symbol = run << 4 | category;
            emit(ac.code[symbol] << category | valueBits(coefficient, category), ac.length[symbol] + category);
        }
        if (last < 63) {
            emit(ac.code[END_OF_BLOCK], ac.length[END_OF_BLOCK]);
        }
    }

    /** Number of bits of |value| (T.81 Table F.1 / F.2 category). */
    private static int category(int value) {
        return 32 - Integer.numberOfLeadingZeros(Math.abs(value));
    }

    /** The low {@code category} bits of value, or of value - 1 when negative (T.81 F.1.2.1). */
    private static int valueBits(int value, int category) {
        return (value < 0 ? value - 1 : value) & ((1 << category) - 1);
    }

    private void restart(int count) {
        ensureCapacity(16);
        padToByte();
        flushBytes();
        out[size++] = (byte) 0xFF;
        out[size++] = (byte) (JpegMarker.RST0 + (count & 7));
        Arrays.fill(predictor, 0);
    }

    /** Appends up to 27 bits (a code and its value bits); the buffer never holds more than 31 before. */
    private void emit(int bits, int length) {
        bitBuffer = bitBuffer << length | bits;
        bitCount += length;
        if (bitCount >= 32) {
            flushWord();
        }
    }

    /** Writes the oldest 32 bits of the buffer, straight when none of their bytes is 0xFF. */
    private void flushWord() {
        int word = (int) (bitBuffer >>> (bitCount - 32));
        if (((~word - 0x01010101) & word & 0x80808080) == 0) {
            out[size] = (byte) (word >>> 24);
            out[size + 1] = (byte) (word >>> 16);
            out[size + 2] = (byte) (word >>> 8);
            out[size + 3] = (byte) word;
            size += 4;
            bitCount -= 32;
        } else {
            flushBytes();
        }
    }

    /** Fills the last byte with 1-bits, as T.81 F.1.2.3 asks before a marker. */
    private void padToByte() {
        int spare = -bitCount & 7;
        if (spare > 0) {
            emit((1 << spare) - 1, spare);
        }
    }

    /** Writes every whole byte of the bit buffer, stuffing a 0x00 after each 0xFF; the room is already there. */
    private void flushBytes() {
        while (bitCount >= 8) {
            bitCount -= 8;
            byte b = (byte) (bitBuffer >>> bitCount);
            out[size++] = b;
            if (b == (byte) 0xFF) {
                out[size++] = 0;
            }
        }
    }

    private void ensureCapacity(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length + (out.length >> 1), size + more));
        }
    }

    /** Code and length of each symbol of one Annex K table (T.81 Annex C). */
    private static final class HuffmanCodes {
        final int[] code = new int[256];
        final int[] length = new int[256];

        HuffmanCodes(byte[] bits, byte[] symbols) {
            int next = 0;
            int index = 0;
            for (int bitLength = 1; bitLength <= 16; bitLength++) {
                for (int i = 0; i < (bits[bitLength - 1] & 0xFF); i++) {
                    int symbol = symbols[index++] & 0xFF;
                    code[symbol] = next++;
                    length[symbol] = bitLength;
                }
                next <<= 1;
            }
        }
    }
}
