package dev.mjpegrtp.jpeg;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A decoding table loaded again, as a transcoder does frame after frame, holds exactly what a new table loaded with
 * the same DHT holds: nothing of the codes it held before (T.81 Annex C and F.2.2.3 give the contents).
 */
class HuffmanDecodingTableTest {

    /** One code of length 1 (T.81 C.2: symbol 0x00 gets code 0). */
    private static final byte[] ONE_CODE_BITS = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] ONE_CODE_VALUES = {0x00};

    private record Dht(String name, byte[] bits, byte[] values) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Dht[] TABLES = {
            new Dht("Annex K luma DC", JpegStandardTables.LUMA_DC_BITS, JpegStandardTables.LUMA_DC_VALUES),
            new Dht("Annex K luma AC", JpegStandardTables.LUMA_AC_BITS, JpegStandardTables.LUMA_AC_VALUES),
            new Dht("Annex K chroma DC", JpegStandardTables.CHROMA_DC_BITS, JpegStandardTables.CHROMA_DC_VALUES),
            new Dht("Annex K chroma AC", JpegStandardTables.CHROMA_AC_BITS, JpegStandardTables.CHROMA_AC_VALUES),
            new Dht("one code of length 1", ONE_CODE_BITS, ONE_CODE_VALUES)};

    static Stream<Arguments> reloads() {
        return Arrays.stream(TABLES).flatMap(before -> Arrays.stream(TABLES)
                .filter(after -> after != before).map(after -> arguments(before, after)));
    }

    @ParameterizedTest(name = "{0}, then {1}")
    @MethodSource("reloads")
    void aReloadedTableHoldsOnlyTheNewCodes(Dht before, Dht after) {
        HuffmanDecodingTable reloaded = new HuffmanDecodingTable();
        reloaded.load(before.bits(), 0, before.values(), 0);
        reloaded.load(after.bits(), 0, after.values(), 0);
        HuffmanDecodingTable fresh = HuffmanDecodingTable.standard(after.bits(), after.values());

        assertThat(reloaded.lookahead).isEqualTo(fresh.lookahead);
        assertThat(reloaded.maxCode).isEqualTo(fresh.maxCode);
        for (int length = 1; length <= 16; length++) {
            if (fresh.maxCode[length] >= 0) {
                assertThat(reloaded.symbolIndexDelta[length]).as("length %d", length)
                        .isEqualTo(fresh.symbolIndexDelta[length]);
            }
        }
        int count = after.values().length;
        assertThat(Arrays.copyOf(reloaded.symbols, count)).isEqualTo(Arrays.copyOf(fresh.symbols, count));
    }
}
