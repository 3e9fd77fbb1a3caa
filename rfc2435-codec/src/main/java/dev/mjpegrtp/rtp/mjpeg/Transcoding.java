package dev.mjpegrtp.rtp.mjpeg;

/**
 * Why {@link JpegParser} re-encoded a JPEG before it could go out as RFC 2435: each is a valid JPEG feature the payload
 * format cannot express, and each is undone without touching a pixel (the quantized DCT coefficients and the
 * quantization tables stay exactly as they were; only their entropy coding and MCU order change).
 */
public enum Transcoding {

    /** Huffman tables other than the Annex K ones (cjpeg -optimize, FFmpeg's default, ImageMagick): re-coded with them. */
    HUFFMAN_TABLES,
    /** A progressive JPEG: its coefficients gathered from every scan and coded as one baseline scan, as jpegtran does. */
    PROGRESSIVE,
    /** Sequential scans other than one interleaved Y, Cb, Cr scan (one scan per component, or another order). */
    SCAN_LAYOUT,
    /** One component: coded as 4:2:0 with neutral chroma (every chroma block DC 0, no AC). */
    GRAYSCALE,
    /** 4:2:2 or 4:2:0 with other sampling factors than Y 2x1 or 2x2 with 1x1 chroma (e.g. FFmpeg's Y 2x2, Cb/Cr 1x2). */
    MCU_LAYOUT,
    /** 16-bit quantization tables whose every entry fits 8 bits: sent as 8-bit tables, which every receiver reads. */
    TABLE_PRECISION
}
