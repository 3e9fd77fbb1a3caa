package dev.mjpegrtp.rtp.mjpeg;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.mjpegrtp.jpeg.JpegMarker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding restart intervals in entropy-coded data (ITU T.81 B.1.1.5, F.1.2.3): every 0xFF of the data is followed by
 * a stuffed 0x00, markers may be preceded by 0xFF fill bytes, RSTn (0xFFD0-0xFFD7) separate the intervals and another
 * marker ends the scan. The scan reads 64 and 8 bytes at a time, so markers sit on every side of those boundaries.
 */
class RestartIntervalsTest {

    private static final int HEADER = 5;
    private static final byte[] EOI = {(byte) 0xFF, (byte) JpegMarker.EOI};

    /** A scan of {@code pieces} (hex strings) after a 5-byte stand-in for the headers, ended by EOI. */
    private static byte[] scan(String... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[HEADER]);
        for (String piece : pieces) {
            out.writeBytes(HexFormat.of().parseHex(piece));
        }
        out.writeBytes(EOI);
        return out.toByteArray();
    }

    /** {@code n} entropy-coded bytes without 0xFF: 0x01, 0x02, ... 0xFE, 0x01, ... */
    private static String data(int n) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append(String.format("%02x", 1 + i % 0xFE));
        }
        return hex.toString();
    }

    static Stream<Arguments> scans() {
        return Stream.of(
                // name, scan, expected intervals, interval starts (null: not aligned), scan end
                Arguments.of("no restart marker, one interval", scan(data(100)), 1, new int[] {0}, HEADER + 100),
                Arguments.of("RST0 at the very start of the scan", scan("ffd0", data(40)), 2, new int[] {0, 2},
                        HEADER + 42),
                Arguments.of("RST0 on the first byte of the second 64-byte block", scan(data(64), "ffd0", data(9)), 2,
                        new int[] {0, 66}, HEADER + 75),
                Arguments.of("RST0 across a 64-byte block boundary", scan(data(63), "ffd0", data(9)), 2,
                        new int[] {0, 65}, HEADER + 74),
                Arguments.of("RST0 across an 8-byte boundary", scan(data(39), "ffd0", data(9)), 2,
                        new int[] {0, 41}, HEADER + 50),
                Arguments.of("RST0 in the bytes after the last whole long", scan(data(3), "ffd0", data(1)), 2,
                        new int[] {0, 5}, HEADER + 6),
                Arguments.of("stuffed 0xFF00 bytes are data, not markers", scan(data(7), "ff00ff00", data(30), "ffd0",
                        "ff00", data(3)), 2, new int[] {0, 43}, HEADER + 48),
                Arguments.of("fill bytes before a RST belong to the interval before it", scan(data(10), "ffffffd0",
                        data(10)), 2, new int[] {0, 14}, HEADER + 24),
                Arguments.of("RST0 to RST7 and round again", scan(data(50), "ffd0", data(50), "ffd1", data(50),
                        "ffd2", data(50), "ffd3", data(50), "ffd4", data(50), "ffd5", data(50), "ffd6", data(50),
                        "ffd7", data(50), "ffd0", data(50)), 10,
                        new int[] {0, 52, 104, 156, 208, 260, 312, 364, 416, 468}, HEADER + 518),
                Arguments.of("one RST closing the scan, as some encoders write", scan(data(20), "ffd0", data(20),
                        "ffd1"), 2, new int[] {0, 22}, HEADER + 44),
                Arguments.of("fewer markers than the DRI implies", scan(data(20), "ffd0", data(20)), 3, null,
                        HEADER + 42),
                Arguments.of("more markers than the DRI implies", scan(data(20), "ffd0", data(20), "ffd1", data(20)),
                        2, null, HEADER + 64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scans")
    void intervalStartsAndScanEnd(String name, byte[] jpeg, int expected, int[] starts, int scanEnd) {
        RestartIntervals intervals = RestartIntervals.find(jpeg, HEADER, jpeg.length, expected);
        assertThat(intervals.offsets()).isEqualTo(starts);
        assertThat(intervals.scanEnd()).isEqualTo(scanEnd);
    }

    @Test
    void noMarkerAfterTheScanIsATruncatedJpeg() {
        byte[] jpeg = scan(data(100));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length - 2);
        assertThatThrownBy(() -> RestartIntervals.find(truncated, HEADER, truncated.length, 1))
                .isInstanceOf(InvalidJpegException.class).hasMessageContaining("no EOI");
    }

    /** Random scans with 0xFF00, fill bytes and RSTs at every alignment, against a reading one byte at a time. */
    @Test
    void agreesWithAByteByByteReadingOnRandomScans() {
        Random random = new Random(2435);
        for (int run = 0; run < 2000; run++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[HEADER]);
            List<Integer> starts = new ArrayList<>(List.of(0));
            int length = random.nextInt(600);
            int rst = 0;
            for (int i = 0; i < length; i++) {
                int pick = random.nextInt(100);
                if (pick < 3) {
                    out.write(0xFF);
                    out.write(0x00);
                } else if (pick < 5) {
                    for (int fill = random.nextInt(3); fill >= 0; fill--) {
                        out.write(0xFF);
                    }
                    out.write(0xD0 + rst++ % 8);
                    starts.add(out.size() - HEADER);
                } else {
                    out.write(random.nextInt(0xFF)); // 0x00..0xFE, some of them 0xFE just below a 0xFF
                }
            }
            out.writeBytes(EOI);
            byte[] jpeg = out.toByteArray();
            RestartIntervals intervals = RestartIntervals.find(jpeg, HEADER, jpeg.length, starts.size());
            assertThat(intervals.scanEnd()).as("run %d", run).isEqualTo(jpeg.length - 2);
            assertThat(intervals.offsets()).as("run %d", run)
                    .isEqualTo(starts.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
