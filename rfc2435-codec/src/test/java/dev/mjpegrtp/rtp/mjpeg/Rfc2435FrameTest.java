package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Packet layout of RFC 2435 §3.1 for hand-built frames: headers byte by byte, fragment offsets and sizes. */
class Rfc2435FrameTest {

    private static final int TABLES_AT = 4;
    private static final int SCAN_AT = TABLES_AT + 128;

    /** A frame whose tables are 0x00..0x7F and whose scan bytes are their own index mod 251. */
    private static JpegFrame frame(int scanLength, int type, int q, int restartInterval, int width, int height) {
        byte[] data = new byte[SCAN_AT + scanLength];
        for (int i = 0; i < 128; i++) {
            data[TABLES_AT + i] = (byte) i;
        }
        for (int i = 0; i < scanLength; i++) {
            data[SCAN_AT + i] = (byte) (i % 251);
        }
        return new JpegFrame(data, SCAN_AT, scanLength, type, width, height, restartInterval, q, TABLES_AT,
                TABLES_AT + 64, 0);
    }

    private static byte[] payload(Rfc2435Frame frame, int index) {
        ByteBuffer buffer = ByteBuffer.allocate(frame.payloadLength(index));
        frame.writePayload(index, buffer);
        assertThat(buffer.hasRemaining()).as("payloadLength matches what writePayload wrote").isFalse();
        return buffer.array();
    }

    @Test
    void singlePacketWithInBandTables() {
        Rfc2435Frame frame = new Rfc2435Frame(frame(10, 1, 255, 0, 16, 8), 1400);
        assertThat(frame.packetCount()).isEqualTo(1);
        byte[] payload = payload(frame, 0);
        assertThat(HexFormat.of().formatHex(payload, 0, 12))
                // type-specific 0, offset 0, type 1, Q 255, 16/8 = 2, 8/8 = 1; MBZ 0, precision 0, length 128
                .isEqualTo("00000000" + "01ff0201" + "00000080");
        assertThat(payload[12]).isEqualTo((byte) 0);
        assertThat(payload[12 + 127]).isEqualTo((byte) 127);
        assertThat(payload).hasSize(8 + 4 + 128 + 10);
        assertThat(payload[8 + 4 + 128 + 9]).isEqualTo((byte) 9);
    }

    @Test
    void fragmentsFillEveryPacketToTheMtuAndCarryTablesOnlyFirst() {
        // mtu 1000: first packet 1000 - 12 - 8 - 132 = 848 scan bytes, the others 980.
        Rfc2435Frame frame = new Rfc2435Frame(frame(3000, 1, 255, 0, 640, 480), 1000);
        assertThat(frame.packetCount()).isEqualTo(4);
        int[] offsets = {0, 848, 1828, 2808};
        int[] lengths = {848 + 8 + 132, 980 + 8, 980 + 8, 192 + 8};
        ByteBuffer scan = ByteBuffer.allocate(3000);
        for (int i = 0; i < 4; i++) {
            byte[] payload = payload(frame, i);
            assertThat(payload).hasSize(lengths[i]);
            assertThat(frame.fragmentOffset(i)).isEqualTo(offsets[i]);
            int offset = (payload[1] & 0xFF) << 16 | (payload[2] & 0xFF) << 8 | (payload[3] & 0xFF);
            assertThat(offset).isEqualTo(offsets[i]);
            assertThat(payload[4]).isEqualTo((byte) 1);
            assertThat(payload[5] & 0xFF).isEqualTo(255);
            assertThat(payload[6] & 0xFF).isEqualTo(80);
            assertThat(payload[7] & 0xFF).isEqualTo(60);
            int dataStart = i == 0 ? 8 + 132 : 8;
            scan.put(payload, dataStart, payload.length - dataStart);
            assertThat(RtpHeader.LENGTH + payload.length).isLessThanOrEqualTo(1000);
        }
        assertThat(scan.array()).isEqualTo(java.util.Arrays.copyOfRange(frame.jpeg().data(), SCAN_AT, SCAN_AT + 3000));
        assertThat(frame.totalPayloadLength()).isEqualTo(4 * 8 + 132 + 3000);
    }

    @Test
    void knownQSendsNoTables() {
        Rfc2435Frame frame = new Rfc2435Frame(frame(1960, 0, 85, 0, 1920, 1080), 1000);
        assertThat(frame.packetCount()).isEqualTo(2);
        byte[] first = payload(frame, 0);
        assertThat(HexFormat.of().formatHex(first, 0, 8)).isEqualTo("00000000" + "0055f087");
        assertThat(first).hasSize(8 + 980);
    }

    @Test
    void restartMarkersAddTheRestartHeaderToEveryPacket() {
        Rfc2435Frame frame = new Rfc2435Frame(frame(2000, 65, 255, 0x0102, 320, 240), 1000);
        // first: 1000 - 12 - 8 - 4 - 132 = 844; others 976
        assertThat(frame.packetCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            byte[] payload = payload(frame, i);
            assertThat(payload[4] & 0xFF).isEqualTo(65);
            // restart interval 0x0102, F = L = 1, count 0x3FFF (RFC 2435 §3.1.7)
            assertThat(HexFormat.of().formatHex(payload, 8, 12)).isEqualTo("0102ffff");
        }
        assertThat(frame.fragmentOffset(1)).isEqualTo(844);
        assertThat(frame.fragmentOffset(2)).isEqualTo(844 + 976);
    }

    @Test
    void sizesOverTheHeaderLimitAreSentAsZero() {
        assertThat(HexFormat.of().formatHex(payload(new Rfc2435Frame(frame(100, 1, 85, 0, 3840, 2160), 1400), 0), 4, 8))
                .as("width and height over 2040 travel out of band (a=x-dimensions)").isEqualTo("01550000");
        assertThat(HexFormat.of().formatHex(payload(new Rfc2435Frame(frame(100, 1, 85, 0, 2040, 2048), 1400), 0), 4, 8))
                .isEqualTo("0155ff00");
    }

    /**
     * Intervals of 300, 400, 800, 1400 and 100 bytes, 976 bytes of room per packet (mtu 1000 - RTP 12 - main 8 -
     * restart 4): whole intervals share a packet while they fit, the 1400-byte one spans two (F on the first, L on
     * the second), and every packet names the first interval it starts (RFC 2435 §3.1.7).
     */
    @Test
    void restartAlignedPacketsStartOnIntervalBoundaries() {
        JpegFrame source = frame(3000, 65, 85, 5, 320, 240);
        JpegFrame aligned = new JpegFrame(source.data(), source.scanOffset(), source.scanLength(), source.type(),
                source.width(), source.height(), source.restartInterval(), source.q(), source.lumaTableOffset(),
                source.chromaTableOffset(), 0, new int[] {0, 300, 700, 1500, 2900}, java.util.Set.of());
        Rfc2435Frame frame = new Rfc2435Frame(aligned, 1000);

        int[] offsets = {0, 700, 1500, 2476, 2900};
        String[] restartHeaders = {"0005c000", "0005c002", "00058003", "00054003", "0005c004"};
        assertThat(frame.packetCount()).isEqualTo(offsets.length);
        ByteBuffer scan = ByteBuffer.allocate(3000);
        for (int i = 0; i < offsets.length; i++) {
            byte[] payload = payload(frame, i);
            assertThat(frame.fragmentOffset(i)).isEqualTo(offsets[i]);
            assertThat(HexFormat.of().formatHex(payload, 8, 12)).as("restart header of packet %d", i)
                    .isEqualTo(restartHeaders[i]);
            assertThat(RtpHeader.LENGTH + payload.length).isLessThanOrEqualTo(1000);
            scan.put(payload, 12, payload.length - 12);
        }
        assertThat(scan.array()).isEqualTo(java.util.Arrays.copyOfRange(aligned.data(), SCAN_AT, SCAN_AT + 3000));
        assertThat(frame.totalPayloadLength()).isEqualTo(5 * 12 + 3000);
    }

    @Test
    void restartAlignedFirstPacketLeavesRoomForTheTables() {
        JpegFrame source = frame(1000, 64, 255, 1, 320, 240);
        JpegFrame aligned = new JpegFrame(source.data(), source.scanOffset(), source.scanLength(), source.type(),
                source.width(), source.height(), source.restartInterval(), source.q(), source.lumaTableOffset(),
                source.chromaTableOffset(), 0, new int[] {0, 500}, java.util.Set.of());
        // first packet: 1000 - 12 - 8 - 4 - 132 = 844 bytes of room, so the two 500-byte intervals go apart
        Rfc2435Frame frame = new Rfc2435Frame(aligned, 1000);
        assertThat(frame.packetCount()).isEqualTo(2);
        assertThat(frame.restartField(0)).isEqualTo(0xC000);
        assertThat(frame.restartField(1)).isEqualTo(0xC001);
        assertThat(frame.payloadLength(0)).isEqualTo(8 + 4 + 132 + 500);
    }

    @Test
    void packetCountIsTheOptimumForTheMtu() {
        int scan = 131_000;
        Rfc2435Frame frame = new Rfc2435Frame(frame(scan, 1, 85, 0, 1920, 1080), 1400);
        int perPacket = 1400 - RtpHeader.LENGTH - Rfc2435Frame.MAIN_HEADER_LENGTH;
        assertThat(frame.packetCount()).isEqualTo((scan + perPacket - 1) / perPacket);
    }

    @Test
    void rtpHeaderLayout() {
        ByteBuffer buffer = ByteBuffer.allocate(12);
        RtpHeader.write(buffer, 26, true, 0xABCD, 0x01020304, 0xDEADBEEF);
        assertThat(HexFormat.of().formatHex(buffer.array())).isEqualTo("809aabcd01020304deadbeef");
        RtpHeader read = new RtpHeader().read(buffer.flip());
        assertThat(read.marker()).isTrue();
        assertThat(read.payloadType()).isEqualTo(26);
        assertThat(read.sequenceNumber()).isEqualTo(0xABCD);
        assertThat(read.timestamp()).isEqualTo(0x01020304);
        assertThat(read.ssrc()).isEqualTo(0xDEADBEEF);
        assertThat(read.payloadOffset()).isEqualTo(12);
        assertThat(read.payloadLength()).isZero();
    }
}
