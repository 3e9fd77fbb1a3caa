package dev.mjpegrtp.jpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Transcoding;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.JpegCorpus.Recipe;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The lossless transcoder against libjpeg itself: a JPEG that needs transcoding and a baseline JPEG libjpeg wrote
 * from the same quantized coefficients must come out as the very same scan, byte for byte. libjpeg's optimized,
 * progressive and 2x2/1x2 encodings of an image hold the coefficients of its plain baseline, 2x1 encoding, so any
 * difference, down to a padding bit, is a transcoder bug.
 */
class JpegTranscoderTest {

    private final JpegParser parser = new JpegParser();

    @TempDir
    Path dir;

    static Stream<Arguments> sameCoefficients() {
        return Stream.of(
                arguments("cjpeg -optimize", (Recipe) dir -> cjpeg(dir, "optimized", "-optimize"),
                        (Recipe) dir -> cjpeg(dir, "plain"), Set.of(Transcoding.HUFFMAN_TABLES)),
                arguments("cjpeg -optimize -restart 2", (Recipe) dir -> cjpeg(dir, "optimized-restart", "-optimize",
                        "-restart", "2"), (Recipe) dir -> cjpeg(dir, "restart", "-restart", "2"),
                        Set.of(Transcoding.HUFFMAN_TABLES)),
                arguments("cjpeg -progressive", (Recipe) dir -> cjpeg(dir, "progressive", "-progressive"),
                        (Recipe) dir -> cjpeg(dir, "plain"), Set.of(Transcoding.PROGRESSIVE)),
                arguments("cjpeg -progressive -restart 1", (Recipe) dir -> cjpeg(dir, "progressive-restart",
                        "-progressive", "-restart", "1"), (Recipe) dir -> cjpeg(dir, "restart1", "-restart", "1"),
                        Set.of(Transcoding.PROGRESSIVE)),
                arguments("cjpeg -sample 2x2,1x2,1x2", (Recipe) dir -> cjpeg(dir, "s221", "-sample", "2x2,1x2,1x2"),
                        (Recipe) dir -> cjpeg(dir, "s21", "-sample", "2x1"), Set.of(Transcoding.MCU_LAYOUT)),
                arguments("cjpeg -progressive -sample 2x2,1x2,1x2", (Recipe) dir -> cjpeg(dir, "progressive-s221",
                        "-progressive", "-sample", "2x2,1x2,1x2"), (Recipe) dir -> cjpeg(dir, "s21", "-sample", "2x1"),
                        Set.of(Transcoding.PROGRESSIVE, Transcoding.MCU_LAYOUT)),
                arguments("jpegtran -progressive", (Recipe) dir -> TestImages.jpegtran(dir,
                        cjpeg(dir, "s21", "-sample", "2x1"), "jpegtran-progressive", "-progressive"),
                        (Recipe) dir -> cjpeg(dir, "s21", "-sample", "2x1"), Set.of(Transcoding.PROGRESSIVE)),
                arguments("cjpeg one scan per component", (Recipe) dir -> cjpeg(dir, "scan-per-component", "-scans",
                        TestImages.scanScript(dir, "2: 0 63 0 0;", "0: 0 63 0 0;", "1: 0 63 0 0;").toString()),
                        (Recipe) dir -> cjpeg(dir, "plain"), Set.of(Transcoding.SCAN_LAYOUT)),
                arguments("cjpeg -quality 10 -optimize (16-bit tables)", (Recipe) dir -> cjpeg(dir, "q10-optimized",
                        "-quality", "10", "-optimize"), (Recipe) dir -> cjpeg(dir, "q10", "-quality", "10"),
                        Set.of(Transcoding.HUFFMAN_TABLES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameCoefficients")
    void transcodingWritesTheScanLibjpegWritesForTheSameCoefficients(String name, Recipe source, Recipe reference,
                                                                      Set<Transcoding> expected) throws Exception {
        JpegFrame transcoded = parser.parse(Files.readAllBytes(source.make(dir)));
        JpegFrame baseline = parser.parse(Files.readAllBytes(reference.make(dir)));

        assertThat(baseline.transcoded()).as("the reference goes out as it is").isFalse();
        assertThat(transcoded.transcodings()).isEqualTo(expected);
        assertThat(transcoded.type()).isEqualTo(baseline.type());
        assertThat(transcoded.q()).isEqualTo(baseline.q());
        assertThat(transcoded.precision()).isEqualTo(baseline.precision());
        assertThat(transcoded.restartInterval()).isEqualTo(baseline.restartInterval());
        assertSameBytes(transcoded, transcoded.lumaTableOffset(), baseline, baseline.lumaTableOffset(),
                baseline.lumaTableLength(), "luma table");
        assertSameBytes(transcoded, transcoded.chromaTableOffset(), baseline, baseline.chromaTableOffset(),
                baseline.chromaTableLength(), "chroma table");
        assertThat(transcoded.scanLength()).isEqualTo(baseline.scanLength());
        assertSameBytes(transcoded, transcoded.scanOffset(), baseline, baseline.scanOffset(), baseline.scanLength(),
                "scan");
        assertThat(transcoded.restartIntervalOffsets()).isEqualTo(baseline.restartIntervalOffsets());
    }

    @Test
    void grayscaleKeepsItsLumaAndGainsNeutralChroma() throws Exception {
        byte[] gray = Files.readAllBytes(cjpeg(dir, "gray", "-grayscale", "-quality", "60"));
        JpegFrame frame = parser.parse(gray);

        assertThat(frame.transcodings()).containsExactly(Transcoding.GRAYSCALE);
        assertThat(frame.type()).isEqualTo(1);
        assertThat(frame.q()).isEqualTo(60);
        int[] luma = JavaJpegs.decodeGray(gray);
        int[] rgb = JavaJpegs.decode(frame.data());
        for (int i = 0; i < luma.length; i++) {
            assertThat(rgb[i] & 0xFFFFFF).as("pixel %d", i).isEqualTo(luma[i] * 0x010101);
        }
    }

    /** A 16-bit DQT whose entries all fit 8 bits is legal but unknown to receivers; it goes out as 8-bit tables. */
    @Test
    void sixteenBitTablesWithEightBitValuesAreNarrowed() {
        byte[] source = JavaJpegs.baseline(320, 240);
        JpegFrame original = parser.parse(source);
        JpegFrame narrowed = parser.parse(withSixteenBitTables(source));

        assertThat(narrowed.transcodings()).containsExactly(Transcoding.TABLE_PRECISION);
        assertThat(narrowed.precision()).isZero();
        assertThat(narrowed.q()).isEqualTo(original.q());
        assertSameBytes(narrowed, narrowed.scanOffset(), original, original.scanOffset(), original.scanLength(), "scan");
    }

    /** The JPEG with its 8-bit DQT tables rewritten with 16-bit entries, and its SOF0 made SOF1 as T.81 requires. */
    private static byte[] withSixteenBitTables(byte[] jpeg) {
        int dqt = JavaJpegs.markerOffset(jpeg, 0xDB);
        int length = (jpeg[dqt + 2] & 0xFF) << 8 | (jpeg[dqt + 3] & 0xFF);
        int tables = (length - 2) / 65;
        byte[] out = new byte[jpeg.length + 64 * tables];
        System.arraycopy(jpeg, 0, out, 0, dqt + 2);
        int newLength = length + 64 * tables;
        out[dqt + 2] = (byte) (newLength >> 8);
        out[dqt + 3] = (byte) newLength;
        int from = dqt + 4;
        int to = dqt + 4;
        for (int t = 0; t < tables; t++) {
            out[to++] = (byte) (0x10 | jpeg[from++] & 0x0F);
            for (int k = 0; k < 64; k++) {
                out[to++] = 0;
                out[to++] = jpeg[from++];
            }
        }
        System.arraycopy(jpeg, from, out, to, jpeg.length - from);
        out[JavaJpegs.markerOffset(out, 0xC0) + 1] = (byte) 0xC1;
        return out;
    }

    private static void assertSameBytes(JpegFrame actual, int actualOffset, JpegFrame expected, int expectedOffset,
                                        int length, String what) {
        int mismatch = Arrays.mismatch(actual.data(), actualOffset, actualOffset + length, expected.data(),
                expectedOffset, expectedOffset + length);
        assertThat(mismatch).as("first differing byte of the %s (of %d)", what, length).isEqualTo(-1);
    }

    private static Path cjpeg(Path dir, String name, String... options) throws java.io.IOException {
        return TestImages.cjpeg(dir, name, 320, 240, options);
    }

    /**
     * A transcoder reuses its coefficient and output buffers: every frame, larger or smaller than the one before,
     * sequential or progressive, must come out as a fresh transcoder writes it, and a result must not change when the
     * transcoder goes on to the next frame.
     */
    @Test
    void aReusedTranscoderWritesWhatAFreshOneWrites() {
        List<byte[]> sources = List.of(JavaJpegs.optimizedHuffman(640, 480), JavaJpegs.grayscale(96, 64),
                JavaJpegs.progressive(200, 136), JavaJpegs.optimizedHuffman(640, 480), JavaJpegs.progressive(48, 32));
        JpegTranscoder reused = new JpegTranscoder();
        List<byte[]> results = new ArrayList<>();
        List<byte[]> copies = new ArrayList<>();
        for (byte[] source : sources) {
            byte[] result = parser.parse(source, reused).data();
            assertThat(result).as("frame %d", results.size()).isEqualTo(parser.parse(source).data());
            results.add(result);
            copies.add(result.clone());
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).as("frame %d after the later ones", i).isEqualTo(copies.get(i));
        }
    }
}
