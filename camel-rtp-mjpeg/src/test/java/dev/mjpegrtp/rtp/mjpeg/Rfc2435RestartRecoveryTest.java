package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.mjpegrtp.jpeg.QuantizedCoefficients;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losses in a restart-aligned stream (RFC 2435 §3.1.7): the receiver keeps every interval that arrived and replaces
 * the lost ones with mid-gray intervals, so the frame still decodes. Checked on the DCT coefficients: each restart
 * interval (one 16-pixel MCU row here) is either exactly the source's or all zero.
 */
class Rfc2435RestartRecoveryTest {

    private static final int ROWS = 15; // 240 / 16, one restart interval per MCU row (cjpeg -restart 1)

    @TempDir
    Path dir;

    private byte[] source;
    private JpegFrame parsed;

    @BeforeEach
    void makeSource() throws Exception {
        source = Files.readAllBytes(TestImages.cjpeg(dir, "restart", 320, 240, "-restart", "1", "-quality", "90"));
        parsed = new JpegParser().parse(source);
        assertThat(parsed.restartAligned()).isTrue();
        assertThat(parsed.restartIntervalOffsets()).hasSize(ROWS);
    }

    @Test
    void aLostChunkIsReplacedAndTheRestOfTheFrameKept() {
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 1400);
        int lost = frame.packetCount() / 2;
        int firstLost = count(frame, lost);
        int lostIntervals = count(frame, lost + 1) - firstLost;
        assertThat(lostIntervals).as("the packet holds whole intervals").isPositive();

        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        byte[] received = receive(depacketizer, frame, lost);

        assertThat(depacketizer.concealedIntervals()).isEqualTo(lostIntervals);
        assertThat(depacketizer.framesConcealed()).isEqualTo(1);
        assertRowsKeptOrNeutral(received, firstLost, firstLost + lostIntervals);
    }

    @Test
    void aLostPartOfAnIntervalSpanningPacketsLosesThatInterval() {
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 300);
        int lost = -1;
        for (int i = 1; i + 1 < frame.packetCount() && lost < 0; i++) {
            boolean continuation = (frame.restartField(i) & Rfc2435Frame.RESTART_FIRST) == 0;
            if (continuation && count(frame, i) > 2) {
                lost = i;
            }
        }
        assertThat(lost).as("an interval spans packets at mtu 300").isPositive();
        int interval = count(frame, lost);

        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        byte[] received = receive(depacketizer, frame, lost);

        assertThat(depacketizer.concealedIntervals()).isEqualTo(1);
        assertRowsKeptOrNeutral(received, interval, interval + 1);
    }

    @Test
    void aLostFirstPacketStartsTheFrameAtTheNextChunk() {
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 1400);
        assertThat(parsed.q()).as("Appendix A tables: no table lost with the first packet").isLessThan(100);
        int kept = count(frame, 1);

        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        byte[] received = receive(depacketizer, frame, 0);

        assertThat(depacketizer.concealedIntervals()).isEqualTo(kept);
        assertRowsKeptOrNeutral(received, 0, kept);
    }

    @Test
    void aLossInTheLastIntervalIsReplacedWhenTheMarkerComes() {
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 300);
        int last = frame.packetCount() - 1;
        assertThat(frame.restartField(last) & Rfc2435Frame.RESTART_FIRST).as("the last interval spans packets").isZero();

        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        byte[] received = receive(depacketizer, frame, last - 1);

        assertThat(depacketizer.concealedIntervals()).isEqualTo(1);
        assertRowsKeptOrNeutral(received, ROWS - 1, ROWS);
    }

    /**
     * At most a quarter of the intervals (3 of 15) are replaced: one packet more lost from the middle of the frame, and
     * it is dropped instead, so that a few small packets never make a frame of gray.
     */
    @Test
    void noMoreThanAQuarterOfTheIntervalsIsReplaced() {
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 600);
        int from = 1;
        while ((frame.restartField(from) & Rfc2435Frame.RESTART_FIRST) == 0) {
            from++;
        }
        int to = nextChunk(frame, from);
        while (count(frame, nextChunk(frame, to)) - count(frame, from) <= ROWS / 4) {
            to = nextChunk(frame, to);
        }
        int beyond = nextChunk(frame, to);
        int replaced = count(frame, to) - count(frame, from);
        assertThat(replaced).as("losing packets %d..%d", from, to - 1).isBetween(1, ROWS / 4);
        assertThat(count(frame, beyond) - count(frame, from)).isGreaterThan(ROWS / 4);

        Rfc2435Depacketizer within = new Rfc2435Depacketizer(1 << 20);
        byte[] received = receive(within, frame, from, to);
        assertThat(within.concealedIntervals()).isEqualTo(replaced);
        assertRowsKeptOrNeutral(received, count(frame, from), count(frame, to));

        Rfc2435Depacketizer tooMany = new Rfc2435Depacketizer(1 << 20);
        assertThat(receive(tooMany, frame, from, beyond)).isNull();
        assertThat(tooMany.framesConcealed()).isZero();
        assertThat(tooMany.framesIncomplete()).isEqualTo(1);
        assertThat(tooMany.framesCompleted()).as("the next frame").isEqualTo(1);
    }

    /** The next packet after {@code packet} that starts a chunk of intervals. */
    private static int nextChunk(Rfc2435Frame frame, int packet) {
        do {
            packet++;
        } while ((frame.restartField(packet) & Rfc2435Frame.RESTART_FIRST) == 0);
        return packet;
    }

    @Test
    void withoutAlignmentALossStillDropsTheFrame() {
        JpegFrame unaligned = new JpegFrame(parsed.data(), parsed.scanOffset(), parsed.scanLength(), parsed.type(),
                parsed.width(), parsed.height(), parsed.restartInterval(), parsed.q(), parsed.lumaTableOffset(),
                parsed.chromaTableOffset(), parsed.precision());
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        Rfc2435Frame frame = new Rfc2435Frame(unaligned, 1400);

        assertThat(receive(depacketizer, frame, frame.packetCount() / 2)).isNull();
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
    }

    /** The restart count of packet {@code index}: the first interval it holds (or continues). */
    private static int count(Rfc2435Frame frame, int index) {
        return frame.restartField(index) & Rfc2435Frame.RESTART_COUNT_MASK;
    }

    /**
     * Pushes every packet of the frame but {@code lost}, then the next frame whole, whose first packet tells that the
     * lost one is not merely late; returns the first frame as soon as it is handed out, or null.
     */
    private static byte[] receive(Rfc2435Depacketizer depacketizer, Rfc2435Frame frame, int lost) {
        return receive(depacketizer, frame, lost, lost + 1);
    }

    /** Likewise, losing packets {@code [lostFrom, lostTo)}. */
    private static byte[] receive(Rfc2435Depacketizer depacketizer, Rfc2435Frame frame, int lostFrom, int lostTo) {
        for (int timestamp : new int[] {7, 7 + 3000}) {
            for (int i = 0; i < frame.packetCount(); i++) {
                ByteBuffer packet = ByteBuffer.allocate(frame.payloadLength(i));
                frame.writePayload(i, packet);
                if (i < lostFrom || i >= lostTo || timestamp != 7) {
                    byte[] jpeg = depacketizer.push(packet.flip(), 0, packet.limit(), timestamp,
                            i == frame.packetCount() - 1);
                    if (jpeg != null && depacketizer.timestamp() == 7) {
                        return jpeg;
                    }
                }
            }
        }
        return null;
    }

    /** Intervals (MCU rows) {@code [from, to)} are all zero, every other one equals the source's, block for block. */
    private void assertRowsKeptOrNeutral(byte[] received, int from, int to) {
        assertThat(received).as("a frame despite the loss").isNotNull();
        JpegFrame rebuilt = new JpegParser().parse(received);
        assertThat(rebuilt.restartIntervalOffsets()).as("the replaced intervals end in the right markers").hasSize(ROWS);
        assertThat(JavaJpegs.decode(received)).as("decodable").hasSize(320 * 240);
        QuantizedCoefficients expected = QuantizedCoefficients.of(source);
        QuantizedCoefficients actual = QuantizedCoefficients.of(received);
        for (int c = 0; c < 3; c++) {
            int rowsPerInterval = c == 0 ? 2 : 1; // 4:2:0: two luma block rows, one chroma block row per MCU row
            int rowLength = 64 * expected.blocksWide(c) * rowsPerInterval;
            for (int row = 0; row < ROWS; row++) {
                short[] got = Arrays.copyOfRange(actual.blocks(c), row * rowLength, (row + 1) * rowLength);
                short[] want = row >= from && row < to ? new short[rowLength]
                        : Arrays.copyOfRange(expected.blocks(c), row * rowLength, (row + 1) * rowLength);
                assertThat(got).as("component %d, interval %d", c, row).isEqualTo(want);
            }
        }
    }
}
