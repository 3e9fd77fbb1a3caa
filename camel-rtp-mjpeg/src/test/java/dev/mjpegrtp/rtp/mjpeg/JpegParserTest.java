package dev.mjpegrtp.rtp.mjpeg;

import java.util.Arrays;
import java.util.Random;
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
        return Stream.of(
                arguments("empty", new byte[0], InvalidJpegException.class, "empty frame"),
                arguments("PNG", JavaJpegs.png(16, 16), InvalidJpegException.class, "PNG image"),
                arguments("random bytes", randomBytes(500), InvalidJpegException.class, "no SOI marker"),
                arguments("SOI+EOI", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                        InvalidJpegException.class, "before any scan"),
                arguments("truncated headers", Arrays.copyOf(baseline, sof + 5), InvalidJpegException.class, "truncated"),
                arguments("truncated scan", Arrays.copyOf(baseline, baseline.length - 40), InvalidJpegException.class,
                        "no EOI"),
                arguments("progressive", JavaJpegs.progressive(64, 48), UnsupportedJpegException.class,
                        "progressive JPEG not supported by RFC 2435"),
                arguments("optimized Huffman", JavaJpegs.optimizedHuffman(64, 48), UnsupportedJpegException.class,
                        "optimized (non-standard) Huffman tables"),
                arguments("grayscale", JavaJpegs.grayscale(64, 48), UnsupportedJpegException.class, "grayscale"),
                arguments("4:4:4", patch(baseline, sof + 11, 0x11), UnsupportedJpegException.class,
                        "4:4:4 chroma subsampling not supported by RFC 2435; encode 4:2:0 (for GStreamer put "
                                + "video/x-raw,format=I420 before jpegenc)"),
                arguments("4:2:2 laid out 2x2 / 1x2", patch(patch(baseline, sof + 14, 0x12), sof + 17, 0x12),
                        UnsupportedJpegException.class, "chroma subsampling Y 2x2, Cb 1x2, Cr 1x2"),
                arguments("12-bit", patch(baseline, sof + 4, 12), UnsupportedJpegException.class, "12-bit JPEG"),
                arguments("arithmetic coding", patch(baseline, sof + 1, 0xC9), UnsupportedJpegException.class,
                        "arithmetic-coded JPEG"),
                arguments("lossless", patch(baseline, sof + 1, 0xC3), UnsupportedJpegException.class, "lossless JPEG"),
                arguments("CMYK", cmyk(), UnsupportedJpegException.class, "CMYK"),
                arguments("wider than 2040", JavaJpegs.baseline(2048, 16), UnsupportedJpegException.class,
                        "2048x16 exceeds the 2040-pixel limit"),
                arguments("segment length past the end", patch(baseline, sof + 2, 0x7F), InvalidJpegException.class,
                        "truncated JPEG: segment 0xFFC0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheCauseInTheMessage(String name, byte[] jpeg, Class<? extends Rfc2435Exception> type, String message) {
        assertThatThrownBy(() -> parser.parse(jpeg)).isInstanceOf(type).hasMessageContaining(message);
    }

    /** Mutated real JPEGs: the parser may only ever throw its own typed exceptions, and never reads out of bounds. */
    @Test
    void randomMutationsOnlyRaiseTypedExceptions() {
        byte[] baseline = JavaJpegs.baseline(48, 32);
        Random random = new Random(2435);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = Arrays.copyOf(baseline, random.nextInt(baseline.length) + 1);
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
