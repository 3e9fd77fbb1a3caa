package dev.mjpegrtp.jpeg;

/**
 * The quantized DCT coefficients of a JPEG, as the transcoder decodes them: for tests that compare two images block by
 * block, which is exact where comparing decoded pixels is not.
 */
public final class QuantizedCoefficients {

    private final DctCoefficients image;

    private QuantizedCoefficients(DctCoefficients image) {
        this.image = image;
    }

    public static QuantizedCoefficients of(byte[] jpeg) {
        return new QuantizedCoefficients(CoefficientDecoder.decode(JpegHeaders.readToFirstScan(jpeg, jpeg.length),
                new short[JpegHeaders.MAX_COMPONENTS][], new HuffmanDecodingTable[8]));
    }

    /** Component {@code component}'s blocks, row by row, 64 coefficients each in zig-zag order. */
    public short[] blocks(int component) {
        return image.blocks[component];
    }

    /** Blocks in one row of component {@code component}, MCU padding included. */
    public int blocksWide(int component) {
        return image.blocksWide[component];
    }
}
