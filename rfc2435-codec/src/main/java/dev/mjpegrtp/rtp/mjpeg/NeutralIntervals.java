package dev.mjpegrtp.rtp.mjpeg;

import dev.mjpegrtp.jpeg.JpegMarker;

/**
 * Entropy-coded restart intervals of mid-gray MCUs, standing in for intervals lost in transit so that a receiver can
 * still decode the rest of the frame (RFC 2435 §3.1.7). With the Annex K tables every block is a zero DC difference
 * and an end-of-block ("00" then "1010" for luma, "00" then "00" for chroma); DC prediction restarts at 0 after each
 * restart marker, so the blocks decode to level 128 in Y, Cb and Cr.
 */
final class NeutralIntervals {

    private static final int LUMA_BLOCK = 0b00_1010;
    private static final int LUMA_BLOCK_BITS = 6;
    private static final int CHROMA_BLOCK = 0b00_00;
    private static final int CHROMA_BLOCK_BITS = 4;

    private NeutralIntervals() {
    }

    /** Bytes {@link #write} needs at most for one interval of {@code mcus} MCUs and its restart marker. */
    static int maxLength(int type, int mcus) {
        return (mcus * mcuBits(type) + 7) / 8 + 2;
    }

    /**
     * Writes interval {@code index}: {@code mcus} neutral MCUs of an RFC 2435 type 0 or 1 frame, padded with 1-bits to a
     * byte, then the restart marker RST(index mod 8) unless {@code last}.
     *
     * @return the offset after what was written
     */
    static int write(byte[] out, int at, int type, int mcus, int index, boolean last) {
        int lumaBlocks = (type & 1) == 1 ? 4 : 2;
        long buffer = 0;
        int bits = 0;
        for (int mcu = 0; mcu < mcus; mcu++) {
            for (int block = 0; block < lumaBlocks; block++) {
                buffer = buffer << LUMA_BLOCK_BITS | LUMA_BLOCK;
                bits += LUMA_BLOCK_BITS;
            }
            buffer = buffer << 2 * CHROMA_BLOCK_BITS | CHROMA_BLOCK;
            bits += 2 * CHROMA_BLOCK_BITS;
            while (bits >= 8) {
                bits -= 8;
                out[at++] = (byte) (buffer >>> bits); // these codes never make a 0xFF byte, so nothing is stuffed
            }
        }
        if (bits > 0) {
            out[at++] = (byte) (buffer << (8 - bits) | (1 << (8 - bits)) - 1);
        }
        if (!last) {
            out[at++] = (byte) 0xFF;
            out[at++] = (byte) (JpegMarker.RST0 + (index & 7));
        }
        return at;
    }

    private static int mcuBits(int type) {
        return ((type & 1) == 1 ? 4 : 2) * LUMA_BLOCK_BITS + 2 * CHROMA_BLOCK_BITS;
    }
}
