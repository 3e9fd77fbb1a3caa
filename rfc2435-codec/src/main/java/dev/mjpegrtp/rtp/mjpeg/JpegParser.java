package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import dev.mjpegrtp.jpeg.ChromaSubsampling;
import dev.mjpegrtp.jpeg.JpegException;
import dev.mjpegrtp.jpeg.JpegHeaders;
import dev.mjpegrtp.jpeg.JpegMarker;
import dev.mjpegrtp.jpeg.JpegTranscoder;

/**
 * Turns any JPEG a camera, encoder or file gives into a {@link JpegFrame} RFC 2435 can carry, or rejects it with a
 * typed exception naming the cause.
 *
 * <p>A baseline or extended 8-bit YCbCr JPEG with one interleaved scan, luma sampled 2x1 (type 0) or 2x2 (type 1)
 * with 1x1 chroma, the Annex K Huffman tables (or none, which means the same) and one table for both chroma
 * components goes out as it is: the frame points into the given array and nothing is copied. Other valid JPEGs that
 * hold the same information (optimized Huffman tables, progressive or multi-scan coding, grayscale, 4:2:2 or 4:2:0
 * with other sampling factors, 16-bit tables with 8-bit values) are re-encoded losslessly by
 * {@link JpegTranscoder}, once per frame, and {@link JpegFrame#transcodings()} says why. What cannot be carried
 * without loss (4:4:4, CMYK, RGB, arithmetic coding, 12-bit samples, lossless or hierarchical JPEG, different Cb and
 * Cr tables) is rejected, with an {@link UnsupportedJpegException}; what is no JPEG, with an
 * {@link InvalidJpegException}.
 *
 * <p>Every length is checked against the input before it is read. The parser keeps no state, so one instance may
 * serve many threads.
 */
public final class JpegParser {

    /** The fragment offset field is 24 bits wide (RFC 2435 §3.1.2). */
    private static final int MAX_SCAN_LENGTH = 0xFFFFFF;
    /** RFC 2435 §3.1.8: a table announced with Q 255 may change every frame. */
    public static final int DYNAMIC_TABLES_Q = 255;

    private final int inBandQ;

    /** A parser announcing tables that are not Appendix A's as Q 255: in-band and possibly different every frame. */
    public JpegParser() {
        this(DYNAMIC_TABLES_Q);
    }

    /**
     * @param inBandQ the Q (128..255) announcing in-band tables. 255 lets them change every frame; 128..254 tells
     *                receivers the tables of that Q never change, so pick one only for a source whose quality is fixed
     */
    public JpegParser(int inBandQ) {
        if (inBandQ < QuantizationTables.MIN_IN_BAND_Q || inBandQ > DYNAMIC_TABLES_Q) {
            throw new IllegalArgumentException("in-band Q " + inBandQ + " outside " + QuantizationTables.MIN_IN_BAND_Q
                    + ".." + DYNAMIC_TABLES_Q);
        }
        this.inBandQ = inBandQ;
    }

    /**
     * Parses {@code data} completely, transcoding it when that is needed and lossless, with work buffers taken for
     * this frame alone. A sender transcoding frame after frame should keep a {@link JpegTranscoder} and use
     * {@link #parse(byte[], JpegTranscoder)}.
     */
    public JpegFrame parse(byte[] data) {
        return parse(data, null);
    }

    /**
     * Parses {@code data} completely, transcoding it when that is needed and lossless with {@code transcoder}'s work
     * buffers (a new transcoder when it is {@code null}). The transcoder is not thread-safe: one per sending thread.
     */
    public JpegFrame parse(byte[] data, JpegTranscoder transcoder) {
        return parse(data, data == null ? 0 : data.length, transcoder);
    }

    /**
     * Parses the JPEG in the first {@code length} bytes of {@code data}, as {@link #parse(byte[], JpegTranscoder)}
     * does: for a frame in a buffer that is reused, and so longer than the frame. The returned frame refers to
     * {@code data} (unless transcoded) and is valid as long as those bytes are.
     */
    public JpegFrame parse(byte[] data, int length, JpegTranscoder transcoder) {
        if (data == null || length == 0) {
            throw new InvalidJpegException("empty frame: no JPEG data");
        }
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside the " + data.length + " bytes of data");
        }
        try {
            JpegHeaders headers = JpegHeaders.readToFirstScan(data, length);
            ChromaSubsampling layout = headers.chromaSubsampling();
            Set<Transcoding> needed = transcodingsNeeded(headers);
            if (needed.isEmpty()) {
                return frameAsIs(headers, layout, Set.of());
            }
            JpegTranscoder reencoder = transcoder != null ? transcoder : new JpegTranscoder();
            int[] grayscaleChroma = headers.componentCount() == 1 ? neutralChroma(headers) : null;
            byte[] transcoded = needed.equals(Set.of(Transcoding.TABLE_PRECISION))
                    ? reencoder.narrowTables(headers, layout)
                    : reencoder.reencode(headers, layout, grayscaleChroma);
            return frameAsIs(JpegHeaders.readToFirstScan(transcoded, transcoded.length), layout, Set.copyOf(needed));
        } catch (JpegException e) {
            throw e.unsupported() ? new UnsupportedJpegException(e.getMessage(), e)
                    : new InvalidJpegException(e.getMessage(), e);
        }
    }

    /** The value of inBandQ this parser announces in-band tables with. */
    public int inBandQ() {
        return inBandQ;
    }

    private static Set<Transcoding> transcodingsNeeded(JpegHeaders headers) {
        EnumSet<Transcoding> needed = EnumSet.noneOf(Transcoding.class);
        if (headers.progressive()) {
            needed.add(Transcoding.PROGRESSIVE);
        }
        if (headers.componentCount() == 1) {
            needed.add(Transcoding.GRAYSCALE);
            return needed;
        }
        if (!headers.standardMcuLayout()) {
            needed.add(Transcoding.MCU_LAYOUT);
        }
        if (!headers.progressive()) {
            if (!headers.scanInterleavedInFrameOrder()) {
                needed.add(Transcoding.SCAN_LAYOUT);
            } else if (!headers.scanUsesStandardHuffmanTables()) {
                needed.add(Transcoding.HUFFMAN_TABLES);
            }
        }
        if (narrowable(headers, headers.quantizationSlot(0)) || narrowable(headers, headers.quantizationSlot(1))) {
            needed.add(Transcoding.TABLE_PRECISION);
        }
        return needed;
    }

    /** A defined 16-bit table whose every entry fits 8 bits. */
    private static boolean narrowable(JpegHeaders headers, int slot) {
        if (headers.quantizationOffset(slot) < 0 || headers.quantizationPrecision(slot) == 0) {
            return false;
        }
        for (int k = 0; k < 64; k++) {
            if (headers.quantizer(slot, k) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The chroma table a grayscale image's neutral chroma is announced with. Any table gives neutral chroma from
     * all-zero blocks; Appendix A's chroma table of the Q whose luma table the image uses lets the frame go out as
     * that Q with no tables on the wire, otherwise the luma table serves.
     */
    private static int[] neutralChroma(JpegHeaders headers) {
        headers.requireQuantizationTables();
        int slot = headers.quantizationSlot(0);
        int[] luma = new int[64];
        byte[] zigzagLuma = new byte[QuantizationTables.TABLE_SIZE];
        boolean eightBit = true;
        for (int k = 0; k < 64; k++) {
            luma[k] = headers.quantizer(slot, k);
            eightBit &= luma[k] <= 255;
            zigzagLuma[k] = (byte) luma[k];
        }
        int q = eightBit ? QuantizationTables.matchingLumaQ(zigzagLuma, 0) : 0;
        if (q == 0) {
            return luma;
        }
        byte[] appendixA = QuantizationTables.shared(q);
        int[] chroma = new int[64];
        for (int k = 0; k < 64; k++) {
            chroma[k] = appendixA[QuantizationTables.TABLE_SIZE + k] & 0xFF;
        }
        return chroma;
    }

    private JpegFrame frameAsIs(JpegHeaders headers, ChromaSubsampling layout, Set<Transcoding> transcodings) {
        headers.requireQuantizationTables();
        int type = layout == ChromaSubsampling.YCBCR_420 ? 1 : 0;
        byte[] data = headers.data();
        int lumaSlot = headers.quantizationSlot(0);
        int chromaSlot = headers.quantizationSlot(1);
        if (!sameTable(headers, chromaSlot, headers.quantizationSlot(2))) {
            throw new UnsupportedJpegException("Cb and Cr use different quantization tables; RFC 2435 carries one for "
                    + "both");
        }
        int lumaOffset = headers.quantizationOffset(lumaSlot);
        int chromaOffset = headers.quantizationOffset(chromaSlot);
        int precision = headers.quantizationPrecision(lumaSlot) | headers.quantizationPrecision(chromaSlot) << 1;
        int q = inBandQ;
        if (precision == 0) {
            int matching = QuantizationTables.matchingQ(data, lumaOffset, chromaOffset);
            if (matching != 0) {
                q = matching;
            }
        }
        int scanOffset = headers.scanDataOffset();
        int restartInterval = headers.restartInterval();
        int scanEnd;
        int[] restartIntervalOffsets = null;
        if (restartInterval > 0) {
            RestartIntervals intervals = RestartIntervals.find(data, scanOffset, headers.end(),
                    expectedIntervals(headers.width(), headers.height(), type, restartInterval));
            scanEnd = intervals.scanEnd();
            restartIntervalOffsets = intervals.offsets();
        } else {
            scanEnd = findEoi(data, scanOffset, headers.end());
        }
        if (scanEnd == scanOffset) {
            throw new InvalidJpegException("corrupt JPEG: the scan holds no data");
        }
        long neededBits = minimumScanBits(headers.width(), headers.height(), type);
        if (8L * (scanEnd - scanOffset) < neededBits) {
            throw new InvalidJpegException("truncated JPEG: " + headers.width() + "x" + headers.height()
                    + " needs at least " + (neededBits + 7) / 8 + " bytes of entropy-coded data, the scan has "
                    + (scanEnd - scanOffset));
        }
        if (scanEnd - scanOffset > MAX_SCAN_LENGTH) {
            throw new UnsupportedJpegException("scan of " + (scanEnd - scanOffset)
                    + " bytes exceeds the 24-bit fragment offset of RFC 2435");
        }
        int rtpType = restartInterval > 0 ? type + JpegFrame.RESTART_TYPE_OFFSET : type;
        return new JpegFrame(data, scanOffset, scanEnd - scanOffset, rtpType, headers.width(), headers.height(),
                restartInterval, q, lumaOffset, chromaOffset, precision, restartIntervalOffsets, transcodings);
    }

    private static boolean sameTable(JpegHeaders headers, int slot, int other) {
        if (slot == other) {
            return true;
        }
        int length = headers.quantizationPrecision(slot) == 0 ? 64 : 128;
        int a = headers.quantizationOffset(slot);
        int b = headers.quantizationOffset(other);
        return headers.quantizationPrecision(slot) == headers.quantizationPrecision(other)
                && Arrays.equals(headers.data(), a, a + length, headers.data(), b, b + length);
    }

    /**
     * The shortest scan of a type 0 or 1 image with the Annex K tables: every block a zero DC difference and an
     * end-of-block, 2 + 4 bits for luma and 2 + 2 for chroma. Less data cannot hold the image, which makes this a
     * cheap check against truncation and against sizes meant to make receivers allocate gigabytes.
     */
    private static long minimumScanBits(int width, int height, int type) {
        int lumaBlocks = type == 1 ? 4 : 2;
        return mcuCount(width, height, type) * (lumaBlocks * 6 + 2 * 4);
    }

    /** MCUs of a type 0 (16x8 pixels) or type 1 (16x16) image. */
    private static long mcuCount(int width, int height, int type) {
        int mcuHeight = type == 1 ? 16 : 8;
        return (long) ((width + 15) / 16) * ((height + mcuHeight - 1) / mcuHeight);
    }

    /** Restart intervals of a type 0 or 1 scan: ceil(MCUs / interval), MCUs of 16x8 or 16x16 pixels. */
    private static int expectedIntervals(int width, int height, int type, int restartInterval) {
        long mcus = mcuCount(width, height, type);
        return (int) Math.min(Integer.MAX_VALUE, (mcus + restartInterval - 1) / restartInterval);
    }

    /**
     * The EOI that closes the scan, searched from the end: entropy-coded data never contains 0xFFD9 (every 0xFF in it
     * is stuffed or starts an RST marker), so this costs only the trailing bytes, not a pass over the scan.
     */
    private static int findEoi(byte[] data, int scanOffset, int end) {
        for (int at = end - 2; at >= scanOffset; at--) {
            if (data[at] == (byte) 0xFF && data[at + 1] == (byte) JpegMarker.EOI) {
                return at;
            }
        }
        throw new InvalidJpegException("truncated JPEG: no EOI marker after the scan data");
    }
}
