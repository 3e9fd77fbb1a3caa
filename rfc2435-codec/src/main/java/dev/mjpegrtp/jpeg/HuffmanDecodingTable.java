package dev.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * One Huffman table (T.81 Annex C) arranged for decoding: codes of up to {@link #LOOKAHEAD_BITS} bits resolve with one
 * array look-up, longer ones by comparing against the largest code of each length (T.81 F.2.2.3). A table can be
 * {@linkplain #load loaded} again with another DHT's codes, so a transcoder reuses its tables from frame to frame.
 */
final class HuffmanDecodingTable {

    static final int LOOKAHEAD_BITS = 9;

    /** Indexed by the next 9 bits: code length << 8 | symbol, or 0 when the code is longer than 9 bits. */
    final int[] lookahead = new int[1 << LOOKAHEAD_BITS];
    /** Largest code of each length 1..16, -1 when there is none. */
    final int[] maxCode = new int[17];
    /** Added to a code of each length to give the index of its symbol. */
    final int[] symbolIndexDelta = new int[17];
    /** The symbols in code order; a DHT holds at most 256 (JpegHeaders checks), the rest is left from earlier loads. */
    final int[] symbols = new int[256];

    /** An empty table, to be {@linkplain #load loaded}. */
    HuffmanDecodingTable() {
    }

    /**
     * Replaces this table's codes with those of a DHT table.
     *
     * @param bits    16 counts of codes per length, at {@code offset}; 256 codes at most
     * @param symbols the symbols in code order, right after the counts (DHT layout)
     */
    void load(byte[] bits, int offset, byte[] symbolData, int symbolOffset) {
        Arrays.fill(lookahead, 0);
        int count = 0;
        for (int length = 1; length <= 16; length++) {
            count += bits[offset + length - 1] & 0xFF;
        }
        for (int i = 0; i < count; i++) {
            symbols[i] = symbolData[symbolOffset + i] & 0xFF;
        }
        int code = 0;
        int index = 0;
        for (int length = 1; length <= 16; length++) {
            int codes = bits[offset + length - 1] & 0xFF;
            if (codes == 0) {
                maxCode[length] = -1;
            } else {
                symbolIndexDelta[length] = index - code;
                for (int i = 0; i < codes; i++, code++, index++) {
                    // More codes than the length allows: checked before the code indexes the look-ahead table.
                    if (code >= 1 << length) {
                        throw JpegException.invalid("corrupt JPEG: Huffman table with more codes of length " + length
                                + " than the length allows");
                    }
                    if (length <= LOOKAHEAD_BITS) {
                        int shift = LOOKAHEAD_BITS - length;
                        int entry = length << 8 | symbols[index];
                        for (int fill = 0; fill < 1 << shift; fill++) {
                            lookahead[code << shift | fill] = entry;
                        }
                    }
                }
                maxCode[length] = code - 1;
            }
            // An all-ones code of any length is reserved (T.81 C.2), so the codes of a length must stay below it.
            if (code >= 1 << length) {
                throw JpegException.invalid("corrupt JPEG: Huffman table with more codes of length " + length
                        + " than the length allows");
            }
            code <<= 1;
        }
    }

    /** The table of the given Annex K counts and symbols. */
    static HuffmanDecodingTable standard(byte[] bits, byte[] symbols) {
        HuffmanDecodingTable table = new HuffmanDecodingTable();
        table.load(bits, 0, symbols, 0);
        return table;
    }
}
