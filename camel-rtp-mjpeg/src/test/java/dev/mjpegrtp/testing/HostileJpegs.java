package dev.mjpegrtp.testing;

import java.io.ByteArrayOutputStream;

/**
 * Valid JPEGs built to cost a transcoder as much memory per input byte as the format allows: every block of the
 * declared size is coded with the fewest bits a Huffman table can give it, so a few kilobytes declare tens of
 * megapixels. What an attacker sends to make a transcoder allocate; a decoder that sizes its work from the declared
 * dimensions alone pays for all of them.
 */
public final class HostileJpegs {

    private HostileJpegs() {
    }

    /**
     * A grayscale baseline JPEG whose Huffman tables code a zero DC difference and an end-of-block in one bit each: two
     * bits a block, the least a sequential scan can spend. Needs transcoding (grayscale), {@code width * height / 256}
     * bytes of scan.
     */
    public static byte[] sequentialGrey(int width, int height) {
        long blocks = (long) ((width + 7) / 8) * ((height + 7) / 8);
        ByteArrayOutputStream out = start(0xC0, width, height);
        huffmanTable(out, 0x00, 0x00);
        huffmanTable(out, 0x10, 0x00); // AC: end-of-block
        scan(out, 0, 63);
        out.writeBytes(new byte[(int) ((2 * blocks + 7) / 8)]);
        return end(out);
    }

    /**
     * A grayscale progressive JPEG: a DC scan of one bit a block, the least any JPEG spends, then one AC scan whose
     * end-of-band runs of 16384 blocks cost 15 bits each.
     */
    public static byte[] progressiveGrey(int width, int height) {
        long blocks = (long) ((width + 7) / 8) * ((height + 7) / 8);
        ByteArrayOutputStream out = start(0xC2, width, height);
        huffmanTable(out, 0x00, 0x00);
        scan(out, 0, 0);
        out.writeBytes(new byte[(int) ((blocks + 7) / 8)]);
        huffmanTable(out, 0x10, 0xE0); // AC: EOBRUN of 2^14 + 14 extra bits
        scan(out, 1, 63);
        out.writeBytes(new byte[(int) ((15 * ((blocks + 16383) / 16384) + 7) / 8)]);
        return end(out);
    }

    /**
     * A 4:2:0 baseline JPEG of uniform grey as an RFC 2435 receiver rebuilds it from packets whose tables are 16-bit
     * but hold 8-bit values: the Annex K Huffman tables, 4 bytes of scan per 16x16 MCU. Needs transcoding (table
     * precision); a transcoder that decodes it pays two bytes a sample of the declared size.
     */
    public static byte[] sixteenBitTablesGrey(int width, int height) {
        long mcus = (long) ((width + 15) / 16) * ((height + 15) / 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB, 1, 4});
        for (int table = 0; table < 2; table++) {
            out.write(0x10 | table);
            for (int k = 0; k < 64; k++) {
                out.writeBytes(new byte[] {0, 16});
            }
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC1, 0, 17, 8, (byte) (height >> 8), (byte) height,
                (byte) (width >> 8), (byte) width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0});
        // Four luma blocks of "DC difference 0, end of block" (00 1010), then two chroma ones (00 00).
        for (long mcu = 0; mcu < mcus; mcu++) {
            out.writeBytes(new byte[] {0x28, (byte) 0xA2, (byte) 0x8A, 0x00});
        }
        return end(out);
    }

    private static ByteArrayOutputStream start(int sof, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDB, 0, 67, 0});
        for (int k = 0; k < 64; k++) {
            out.write(1);
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) sof, 0, 11, 8, (byte) (height >> 8), (byte) height,
                (byte) (width >> 8), (byte) width, 1, 1, 0x11, 0});
        return out;
    }

    /** A DHT of one symbol, whose code is the single bit 0. */
    private static void huffmanTable(ByteArrayOutputStream out, int classAndId, int symbol) {
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC4, 0, 2 + 1 + 16 + 1, (byte) classAndId, 1});
        out.writeBytes(new byte[15]);
        out.write(symbol);
    }

    private static void scan(ByteArrayOutputStream out, int spectralStart, int spectralEnd) {
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0x00, (byte) spectralStart,
                (byte) spectralEnd, 0});
    }

    private static byte[] end(ByteArrayOutputStream out) {
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }
}
