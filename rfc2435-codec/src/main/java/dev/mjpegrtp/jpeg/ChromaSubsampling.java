package dev.mjpegrtp.jpeg;

/**
 * The two layouts of a YCbCr JPEG the transcoder writes and {@link JpegHeaderWriter} describes: Cb and Cr sampled
 * 1x1 beside luma sampled 2x1 or 2x2, each MCU two or four luma blocks, then one Cb and one Cr block.
 */
public enum ChromaSubsampling {

    /** Luma 2x1: chroma halved horizontally (MCUs of 16x8 pixels). */
    YCBCR_422,
    /** Luma 2x2: chroma halved horizontally and vertically (MCUs of 16x16 pixels). */
    YCBCR_420;

    /** Rows of luma blocks in an MCU: the luma's vertical sampling factor. */
    int lumaRows() {
        return this == YCBCR_420 ? 2 : 1;
    }
}
