package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;

/**
 * Entropy-codes quantized DCT coefficients as the one scan every RFC 2435 receiver decodes: baseline, three components
 * interleaved as type 0 (Y 2x1, Cb 1x1, Cr 1x1) or type 1 (Y 2x2), the Annex K Huffman tables, and restart markers
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

    private BaselineScanEncoder(DctCoefficients image, byte[] out, int size) {
        this.image = image;
        this.out = out;
        this.size = size;
    }

    /**
     * Appends the scan to {@code prefix[0..prefixLength)} (the headers), then EOI.
     *
     * @return the complete JPEG, trimmed to its length
     * @throws InvalidJpegException when a coefficient lies outside what an 8-bit baseline scan can code
     */
    static byte[] encode(DctCoefficients image, int type, int restartInterval, byte[] prefix, int prefixLength) {
        BaselineScanEncoder encoder = new BaselineScanEncoder(image, prefix, prefixLength);
        encoder.encodeScan(type & 1, restartInterval);
        encoder.ensureCapacity(2);
        encoder.out[encoder.size++] = (byte) 0xFF;
        encoder.out[encoder.size++] = (byte) JpegMarker.EOI;
        return Arrays.copyOf(encoder.out, encoder.size);
    }

    private void encodeScan(int baseType, int restartInterval) {
        int lumaRows = baseType == 1 ? 2 : 1;
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
            for (int y = 0; y < lumaRows; y++) {
                encodeBlock(0, 2 * mcuX, lumaRows * mcuY + y, LUMA_DC, LUMA_AC);
                encodeBlock(0, 2 * mcuX + 1, lumaRows * mcuY + y, LUMA_DC, LUMA_AC);
            }
            encodeBlock(1, mcuX, mcuY, CHROMA_DC, CHROMA_AC);
            encodeBlock(2, mcuX, mcuY, CHROMA_DC, CHROMA_AC);
        }
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
            throw new InvalidJpegException("corrupt JPEG: DC difference " + difference
                    + " outside what an 8-bit baseline scan can code");
        }
        emit(dc.code[category], dc.length[category]);
        emitValue(difference, category);
        int run = 0;
        for (int k = 1; k < 64; k++) {
            int coefficient = blocks[offset + k];
            if (coefficient == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                emit(ac.code[SIXTEEN_ZEROS], ac.length[SIXTEEN_ZEROS]);
                run -= 16;
            }
            category = category(coefficient);
            if (category > MAX_AC_CATEGORY) {
                throw new InvalidJpegException("corrupt JPEG: AC coefficient " + coefficient
                        + " outside what an 8-bit baseline scan can code");
            }
            int symbol = run << 4 | category;
            emit(ac.code[symbol], ac.length[symbol]);
            emitValue(coefficient, category);
            run = 0;
        }
        if (run > 0) {
            emit(ac.code[END_OF_BLOCK], ac.length[END_OF_BLOCK]);
        }
    }

    /** Number of bits of |value| (T.81 Table F.1 / F.2 category). */
    private static int category(int value) {
        return 32 - Integer.numberOfLeadingZeros(Math.abs(value));
    }

    /** The low {@code category} bits of value, or of value - 1 when negative (T.81 F.1.2.1). */
    private void emitValue(int value, int category) {
        if (category > 0) {
            emit((value < 0 ? value - 1 : value) & ((1 << category) - 1), category);
        }
    }

    private void restart(int count) {
        padToByte();
        flushBytes();
        ensureCapacity(2);
        out[size++] = (byte) 0xFF;
        out[size++] = (byte) (JpegMarker.RST0 + (count & 7));
        Arrays.fill(predictor, 0);
    }

    private void emit(int code, int length) {
        bitBuffer = bitBuffer << length | code;
        bitCount += length;
        if (bitCount >= 32) {
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

    /** Writes every whole byte of the bit buffer, stuffing a 0x00 after each 0xFF. */
    private void flushBytes() {
        ensureCapacity(2 * (bitCount >> 3));
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
