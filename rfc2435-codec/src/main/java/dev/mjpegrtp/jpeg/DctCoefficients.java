package dev.mjpegrtp.jpeg;

/**
 * The quantized DCT coefficients of an image, per component, with the quantization table each was coded with: all a
 * decoder turns into pixels, so re-encoding them with other Huffman tables or another MCU layout changes no pixel.
 *
 * <p>Each component is a grid of {@code blocksWide} × {@code blocksHigh} blocks, row by row, of 64 coefficients in
 * zig-zag order. The grid covers the component's MCU padding; blocks the scans never reached stay zero. A component's
 * array may be longer than its grid (it is reused from a larger frame); the part after the grid means nothing.
 */
final class DctCoefficients {

    final int width;
    final int height;
    final int componentCount;
    final short[][] blocks;
    final int[] blocksWide;
    final int[] blocksHigh;
    /** Blocks of each component that hold image samples: ceil(component width / 8) (T.81 A.1.1). */
    final int[] usedBlocksWide;
    final int[] usedBlocksHigh;
    /** Quantization table of each component in zig-zag order. */
    final int[][] quantizers;

    DctCoefficients(int width, int height, int componentCount) {
        this.width = width;
        this.height = height;
        this.componentCount = componentCount;
        this.blocks = new short[componentCount][];
        this.blocksWide = new int[componentCount];
        this.blocksHigh = new int[componentCount];
        this.usedBlocksWide = new int[componentCount];
        this.usedBlocksHigh = new int[componentCount];
        this.quantizers = new int[componentCount][];
    }

    /** Offset in {@code blocks[component]} of the first coefficient of block ({@code x}, {@code y}). */
    int blockOffset(int component, int x, int y) {
        return (y * blocksWide[component] + x) << 6;
    }
}
