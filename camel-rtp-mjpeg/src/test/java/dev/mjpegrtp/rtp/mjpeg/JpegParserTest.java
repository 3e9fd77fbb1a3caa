package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.JavaJpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JpegParserTest {

    private final JpegParser parser = new JpegParser();

    @Test
    void baselineFourTwoZero() {
        byte[] jpeg = JavaJpegs.baseline(320, 240);
        JpegFrame frame = parser.parse(jpeg);
        assertThat(frame.type()).isEqualTo(1);
        assertThat(frame.width()).isEqualTo(320);
        assertThat(frame.height()).isEqualTo(240);
        assertThat(frame.restartInterval()).isZero();
        // The JDK encodes at IJG quality 75, whose tables are RFC 2435's Q 75.
        assertThat(frame.q()).isEqualTo(75);
        assertThat(frame.scanOffset()).isEqualTo(JavaJpegs.markerOffset(jpeg, 0xDA) + 2 + 12);
        assertThat(frame.scanOffset() + frame.scanLength()).isEqualTo(jpeg.length - 2);
    }

    @Test
    void restartIntervalMakesTypeSixtyFive() {
        byte[] dri = {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, 5};
        JpegFrame frame = parser.parse(JavaJpegs.insertBefore(JavaJpegs.baseline(64, 64), 0xDA, dri));
        assertThat(frame.type()).isEqualTo(65);
        assertThat(frame.restartInterval()).isEqualTo(5);
    }

    @Test
    void trailingBytesAfterEoiAreIgnored() {
        byte[] jpeg = JavaJpegs.baseline(64, 64);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 7);
        assertThat(parser.parse(padded).scanLength()).isEqualTo(parser.parse(jpeg).scanLength());
    }

    @Test
    void nonStandardTablesGoInBandAsQ255() {
        byte[] jpeg = JavaJpegs.baseline(64, 64);
        JpegFrame standard = parser.parse(jpeg);
        jpeg[standard.lumaTableOffset() + 10]++;
        JpegFrame custom = parser.parse(jpeg);
        assertThat(custom.q()).isEqualTo(255);
        assertThat(custom.tablesInBand()).isTrue();
        assertThat(custom.precision()).isZero();
    }

    static Stream<Arguments> rejected() {
        byte[] baseline = JavaJpegs.baseline(64, 48);
        int sof = JavaJpegs.markerOffset(baseline, 0xC0);
        byte[] progressive = JavaJpegs.progressive(64, 48);
        int progressiveSof = JavaJpegs.markerOffset(progressive, 0xC2);
        return Stream.of(
                arguments("empty", new byte[0], InvalidJpegException.class, "empty frame"),
                arguments("PNG", JavaJpegs.png(16, 16), InvalidJpegException.class, "PNG image"),
                arguments("random bytes", randomBytes(500), InvalidJpegException.class, "no SOI marker"),
                arguments("SOI+EOI", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                        InvalidJpegException.class, "before any scan"),
                arguments("truncated headers", Arrays.copyOf(baseline, sof + 5), InvalidJpegException.class, "truncated"),
                arguments("truncated scan", Arrays.copyOf(baseline, baseline.length - 40), InvalidJpegException.class,
                        "no EOI"),
                arguments("truncated progressive scan", withEoi(Arrays.copyOf(progressive, progressive.length / 2)),
                        InvalidJpegException.class, "truncated JPEG"),
                arguments("progressive without its last scans",
                        withEoi(Arrays.copyOf(progressive, JavaJpegs.markerOffset(progressive, 0xDA, 3))),
                        UnsupportedJpegException.class, "incomplete progressive JPEG"),
                arguments("4:4:4", patch(baseline, sof + 11, 0x11), UnsupportedJpegException.class,
                        "4:4:4 chroma subsampling not supported by RFC 2435; encode 4:2:0 (for GStreamer put "
                                + "video/x-raw,format=I420 before jpegenc)"),
                arguments("4:1:1", patch(baseline, sof + 11, 0x41), UnsupportedJpegException.class,
                        "chroma subsampling Y 4x1, Cb 1x1, Cr 1x1 not supported by RFC 2435"),
                arguments("4:4:0", patch(baseline, sof + 11, 0x12), UnsupportedJpegException.class,
                        "chroma subsampling Y 1x2, Cb 1x1, Cr 1x1"),
                arguments("Cb and Cr sampled differently", patch(baseline, sof + 17, 0x12), UnsupportedJpegException.class,
                        "chroma subsampling Y 2x2, Cb 1x1, Cr 1x2"),
                arguments("Cr on the luma table", patch(baseline, sof + 18, 0), UnsupportedJpegException.class,
                        "Cb and Cr use different quantization tables"),
                arguments("progressive with Cr on the luma table", patch(progressive, progressiveSof + 18, 0),
                        UnsupportedJpegException.class, "Cb and Cr use different quantization tables"),
                arguments("RGB (Adobe transform 0)", JavaJpegs.insertBefore(baseline, 0xDB, ADOBE_RGB),
                        UnsupportedJpegException.class, "RGB-coded JPEG"),
                arguments("12-bit", patch(baseline, sof + 4, 12), UnsupportedJpegException.class, "12-bit JPEG"),
                arguments("arithmetic coding", patch(baseline, sof + 1, 0xC9), UnsupportedJpegException.class,
                        "arithmetic-coded JPEG"),
                arguments("progressive arithmetic coding", patch(baseline, sof + 1, 0xCA), UnsupportedJpegException.class,
                        "arithmetic-coded JPEG"),
                arguments("lossless", patch(baseline, sof + 1, 0xC3), UnsupportedJpegException.class, "lossless JPEG"),
                arguments("hierarchical", patch(baseline, sof + 1, 0xC5), UnsupportedJpegException.class,
                        "hierarchical JPEG"),
                arguments("CMYK", cmyk(), UnsupportedJpegException.class, "CMYK"),
                arguments("huge declared size", patch(patch(baseline, sof + 5, 0xFF), sof + 7, 0xFF),
                        InvalidJpegException.class, "needs at least"),
                arguments("huge declared size, progressive",
                        patch(patch(progressive, progressiveSof + 5, 0x7F), progressiveSof + 7, 0x7F),
                        UnsupportedJpegException.class, "beyond the transcoder's limit of 8847360 (4096x2160)"),
                arguments("declared size the progressive data cannot hold",
                        patch(patch(progressive, progressiveSof + 5, 0x0A), progressiveSof + 7, 0x0A),
                        InvalidJpegException.class, "more than its"),
                arguments("segment length past the end", patch(baseline, sof + 2, 0x7F), InvalidJpegException.class,
                        "truncated JPEG: segment 0xFFC0"));
    }

    /** An Adobe APP14 segment whose transform 0 says the three components are R, G and B, not YCbCr. */
    private static final byte[] ADOBE_RGB = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};

    static Stream<Arguments> transcoded() {
        return Stream.of(
                arguments("progressive", JavaJpegs.progressive(320, 240), Set.of(Transcoding.PROGRESSIVE)),
                arguments("optimized Huffman tables", JavaJpegs.optimizedHuffman(320, 240),
                        Set.of(Transcoding.HUFFMAN_TABLES)),
                arguments("odd size, progressive", JavaJpegs.progressive(99, 61), Set.of(Transcoding.PROGRESSIVE)));
    }

    /** The JDK's decoder, a third one beside GStreamer's and FFmpeg's, sees the same pixels in the re-encoding. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transcoded")
    void transcodesLosslessly(String name, byte[] jpeg, Set<Transcoding> expected) {
        JpegFrame frame = parser.parse(jpeg);
        assertThat(frame.transcodings()).isEqualTo(expected);
        assertThat(frame.transcoded()).isTrue();
        assertThat(frame.type()).isEqualTo(1);
        assertThat(frame.q()).as("the JDK's quality 75 tables stay Appendix A's Q 75").isEqualTo(75);
        assertThat(JavaJpegs.decode(frame.data())).isEqualTo(JavaJpegs.decode(jpeg));
    }

    @Test
    void grayscaleBecomesFourTwoZeroWithNeutralChroma() {
        byte[] gray = JavaJpegs.grayscale(100, 60);
        JpegFrame frame = parser.parse(gray);
        assertThat(frame.transcodings()).containsExactly(Transcoding.GRAYSCALE);
        assertThat(frame.type()).isEqualTo(1);
        assertThat(frame.q()).as("luma on Q 75's table, chroma given Q 75's: no tables on the wire").isEqualTo(75);
        int[] luma = JavaJpegs.decodeGray(gray);
        int[] rgb = JavaJpegs.decode(frame.data());
        for (int i = 0; i < luma.length; i++) {
            int expected = luma[i] * 0x010101;
            assertThat(rgb[i] & 0xFFFFFF).as("pixel %d: Y unchanged, Cb = Cr = 128", i).isEqualTo(expected);
        }
    }

    @Test
    void widerThanTheHeaderIsAcceptedForOutOfBandDimensions() {
        JpegFrame frame = parser.parse(JavaJpegs.baseline(2048, 16));
        assertThat(frame.width()).isEqualTo(2048);
        assertThat(frame.exceedsHeaderDimensions()).isTrue();
        assertThat(parser.parse(JavaJpegs.baseline(2040, 16)).exceedsHeaderDimensions()).isFalse();
    }

    @Test
    void inBandQIsConfigurable() {
        byte[] jpeg = JavaJpegs.baseline(64, 64);
        JpegFrame standard = parser.parse(jpeg);
        jpeg[standard.lumaTableOffset() + 10]++;
        assertThat(new JpegParser(128).parse(jpeg).q()).isEqualTo(128);
        assertThat(new JpegParser(128).parse(JavaJpegs.baseline(64, 64)).q()).as("Appendix A tables keep their Q")
                .isEqualTo(75);
        assertThatThrownBy(() -> new JpegParser(127)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegParser(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheCauseInTheMessage(String name, byte[] jpeg, Class<? extends Rfc2435Exception> type, String message) {
        assertThatThrownBy(() -> parser.parse(jpeg)).isInstanceOf(type).hasMessageContaining(message);
    }

    static Stream<Arguments> mutationSources() {
        return Stream.of(
                arguments("baseline", JavaJpegs.baseline(48, 32), 20_000),
                arguments("progressive", JavaJpegs.progressive(48, 32), 5_000),
                arguments("optimized Huffman tables", JavaJpegs.optimizedHuffman(48, 32), 5_000),
                arguments("grayscale", JavaJpegs.grayscale(48, 32), 5_000));
    }

    /**
     * Mutated real JPEGs, down the zero-copy path and the transcoding one: the parser may only ever throw its own
     * typed exceptions, and never reads out of bounds.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mutationSources")
    void randomMutationsOnlyRaiseTypedExceptions(String name, byte[] source, int iterations) {
        Random random = new Random(2435);
        for (int i = 0; i < iterations; i++) {
            byte[] mutated = Arrays.copyOf(source, random.nextInt(source.length) + 1);
            for (int m = random.nextInt(8); m >= 0; m--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> parser.parse(mutated));
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(Rfc2435Exception.class);
            }
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(1).nextBytes(bytes);
        bytes[0] = 0x42;
        return bytes;
    }

    /** The bytes with an EOI marker appended, as a receiver would complete a cut-off frame. */
    private static byte[] withEoi(byte[] jpeg) {
        byte[] out = Arrays.copyOf(jpeg, jpeg.length + 2);
        out[jpeg.length] = (byte) 0xFF;
        out[jpeg.length + 1] = (byte) 0xD9;
        return out;
    }

    private static byte[] patch(byte[] jpeg, int offset, int value) {
        byte[] copy = jpeg.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    /** SOI, an 8-bit DQT and a 4-component SOF0: the headers of an Adobe CMYK JPEG. */
    private static byte[] cmyk() {
        byte[] jpeg = new byte[2 + 69 + 20 + 2];
        int at = 0;
        jpeg[at++] = (byte) 0xFF;
        jpeg[at++] = (byte) 0xD8;
        jpeg[at++] = (byte) 0xFF;
        jpeg[at++] = (byte) 0xDB;
        jpeg[at++] = 0;
        jpeg[at++] = 67;
        jpeg[at++] = 0;
        Arrays.fill(jpeg, at, at + 64, (byte) 1);
        at += 64;
        byte[] sof = {(byte) 0xFF, (byte) 0xC0, 0, 20, 8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0};
        System.arraycopy(sof, 0, jpeg, at, sof.length);
        return jpeg;
    }
}
