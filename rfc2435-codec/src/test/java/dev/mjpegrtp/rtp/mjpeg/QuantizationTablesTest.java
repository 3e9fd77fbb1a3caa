package dev.mjpegrtp.rtp.mjpeg;

import java.util.stream.IntStream;

import dev.mjpegrtp.jpeg.JpegStandardTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 2435 Appendix A: tables from Q, and the reverse look-up the sender uses. */
class QuantizationTablesTest {

    @Test
    void q50IsAnnexKUnscaledInZigZagOrder() {
        byte[] tables = QuantizationTables.forQ(50);
        assertThat(tables[0] & 0xFF).as("Annex K.1 luma DC").isEqualTo(16);
        assertThat(tables[64] & 0xFF).as("Annex K.2 chroma DC").isEqualTo(17);
        for (int i = 0; i < 64; i++) {
            assertThat(tables[i] & 0xFF).isEqualTo(JpegStandardTables.lumaQuantizer(i));
            assertThat(tables[64 + i] & 0xFF).isEqualTo(JpegStandardTables.chromaQuantizer(i));
        }
    }

    /** Hand-computed from Appendix A: scale = q &lt; 50 ? 5000 / q : 200 - 2q; (k * scale + 50) / 100 in 1..255. */
    @ParameterizedTest(name = "Q {0}: zig-zag entry {1} luma {2} chroma {3}")
    @CsvSource({
        "85, 0, 5, 5",     // 16 * 30 -> 5;   17 * 30 -> 5
        "85, 1, 3, 5",     // 11 * 30 -> 3;   18 * 30 -> 5
        "85, 2, 4, 5",     // 12 * 30 -> 4;   18 * 30 -> 5
        "85, 63, 30, 30",  // 99 * 30 -> 30;  99 * 30 -> 30
        "10, 0, 80, 85",   // 16 * 500 -> 80; 17 * 500 -> 85
        "10, 63, 255, 255", // 99 * 500 clamps to 255
        "1, 0, 255, 255",
        "99, 0, 1, 1",     // 16 * 2 -> 0 clamps to 1
        "99, 63, 2, 2"     // 99 * 2 -> 2
    })
    void appendixAValues(int q, int zigzagIndex, int luma, int chroma) {
        byte[] tables = QuantizationTables.forQ(q);
        assertThat(tables[zigzagIndex] & 0xFF).isEqualTo(luma);
        assertThat(tables[64 + zigzagIndex] & 0xFF).isEqualTo(chroma);
    }

    static IntStream allQ() {
        return IntStream.rangeClosed(1, 99);
    }

    @ParameterizedTest
    @MethodSource("allQ")
    void everyQsTablesAreRecognised(int q) {
        byte[] data = new byte[10 + 128];
        System.arraycopy(QuantizationTables.forQ(q), 0, data, 10, 128);
        int found = QuantizationTables.matchingQ(data, 10, 74);
        assertThat(QuantizationTables.forQ(found)).isEqualTo(QuantizationTables.forQ(q));
    }

    @Test
    void tablesOfNoQAreNotRecognised() {
        byte[] data = QuantizationTables.forQ(75);
        data[20]++;
        assertThat(QuantizationTables.matchingQ(data, 0, 64)).isZero();
    }

    @Test
    void reservedQHasNoTables() {
        assertThatThrownBy(() -> QuantizationTables.forQ(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuantizationTables.forQ(100)).isInstanceOf(IllegalArgumentException.class);
    }
}
