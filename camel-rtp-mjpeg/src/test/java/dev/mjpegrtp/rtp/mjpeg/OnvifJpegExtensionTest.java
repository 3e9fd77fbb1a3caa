package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.JavaJpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The ONVIF JPEG header extension, byte for byte against hand-made vectors, and through the codec: a frame over 2040
 * pixels sent with it reassembles at its real size with no size declared out of band.
 */
class OnvifJpegExtensionTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> extensions() {
        return Stream.of(
                // 0xFFD8, 5 words; SOF0, 17 bytes, 8 bits, 2160 x 3840, Y 2x2 table 0, Cb and Cr 1x1 table 1; 0xFF pad
                arguments("3840x2160 4:2:0", new JpegFrame(new byte[0], 0, 0, 1, 3840, 2160, 0, 255, 0, 0, 0),
                        "ffd80005" + "ffc0001108" + "0870" + "0f00" + "03" + "012200" + "021101" + "031101" + "ff"),
                // restart type 65: the same SOF; the restart header, not the extension, carries the interval
                arguments("4096x2304 4:2:0 restart", new JpegFrame(new byte[0], 0, 0, 65, 4096, 2304, 4, 255, 0, 0, 0),
                        "ffd80005" + "ffc0001108" + "0900" + "1000" + "03" + "012200" + "021101" + "031101" + "ff"),
                // 16-bit tables: extended sequential (SOF1), as the receiver rebuilds it; 4:2:2 is Y 2x1
                arguments("2048x1080 4:2:2 16-bit tables", new JpegFrame(new byte[0], 0, 0, 0, 2048, 1080, 0, 255, 0, 0, 3),
                        "ffd80005" + "ffc1001108" + "0438" + "0800" + "03" + "012100" + "021101" + "031101" + "ff"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void writesTheFramesSofPaddedToWords(String name, JpegFrame frame, String expected) {
        ByteBuffer out = ByteBuffer.allocate(64);
        OnvifJpegExtension.write(out, frame);
        assertThat(HEX.formatHex(out.array(), 0, out.position())).isEqualTo(expected);
        assertThat(out.position()).isEqualTo(OnvifJpegExtension.LENGTH).isEqualTo(24);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void readsBackTheSizeItWrote(String name, JpegFrame frame, String written) {
        ByteBuffer packet = ByteBuffer.wrap(HEX.parseHex(written));
        long size = OnvifJpegExtension.frameSize(packet, 4, packet.capacity() - 4);
        assertThat(size >>> 16).isEqualTo(frame.width());
        assertThat(size & 0xFFFF).isEqualTo(frame.height());
    }

    static Stream<Arguments> otherSenders() {
        return Stream.of(
                // fill bytes, a DQT and a DRI before the SOF, an SOS after it, as a camera may send
                arguments("ffff" + "ffdb0043" + "00" + "11".repeat(64) + "ffdd00040010"
                        + "ffc00011080b40100003012200021101031101" + "ffda000c03010002110311003f00", 4096L << 16 | 2880),
                // only tables: the size comes from elsewhere
                arguments("ffc4001f00" + "00".repeat(16) + "000102030405060708090a0b" + "ffff", -1L),
                // an SOS ends the segments before any SOF
                arguments("ffda000c03010002110311003f00" + "ffc00011080b40100003012200021101031101", -1L),
                // empty
                arguments("", -1L));
    }

    @ParameterizedTest
    @MethodSource("otherSenders")
    void findsTheSofAmongOtherSegments(String extension, long expected) {
        byte[] bytes = HEX.parseHex(extension);
        assertThat(OnvifJpegExtension.frameSize(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(expected);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("00112233", "holds 0x0 where a marker should be"),
                arguments("ffdb0043" + "00".repeat(10), "marker segment 0xFFDB runs past the end"),
                arguments("ffc0000308", "SOF segment of 3 bytes"),
                arguments("ffc00011080000100003012200021101031101", "SOF of 4096x0"),
                arguments("ffe0", "marker segment 0xFFE0 runs past the end"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedExtensionsFailNamingTheCause(String extension, String cause) {
        byte[] bytes = HEX.parseHex(extension);
        assertThatThrownBy(() -> OnvifJpegExtension.frameSize(ByteBuffer.wrap(bytes), 0, bytes.length))
                .isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining(cause);
    }

    @Test
    void onlyTheFirstPacketCarriesItAndEveryPacketStaysWithinTheMtu() {
        JpegFrame jpeg = new JpegParser().parse(JavaJpegs.baseline(2560, 1440));
        Rfc2435Frame plain = new Rfc2435Frame(jpeg, 1400);
        Rfc2435Frame extended = plain.withOnvifExtension(true);

        assertThat(plain.withOnvifExtension(false)).isSameAs(plain);
        assertThat(extended.withOnvifExtension(true)).isSameAs(extended);
        assertThat(extended.onvifExtension()).isTrue();
        assertThat(extended.headerExtensionLength(0)).isEqualTo(OnvifJpegExtension.LENGTH);
        assertThat(plain.headerExtensionLength(0)).isZero();
        int scanBytes = 0;
        for (int i = 0; i < extended.packetCount(); i++) {
            assertThat(extended.packetLength(i)).isLessThanOrEqualTo(1400);
            if (i > 0) {
                assertThat(extended.headerExtensionLength(i)).isZero();
            }
            scanBytes += extended.payloadLength(i);
        }
        assertThat(extended.packetLength(0)).isEqualTo(1400);
        assertThat(plain.payloadLength(0) - extended.payloadLength(0)).isEqualTo(OnvifJpegExtension.LENGTH);
        assertThat(scanBytes).isEqualTo(extended.totalPayloadLength());
    }

    /**
     * 2560x1440 says width 0 in its RFC 2435 header. Sent with the extension, a depacketizer with no declared size
     * rebuilds the JFIF at 2560x1440 with the very scan that was sent; the next frame, without the extension, keeps
     * that size; without either, the frame is refused naming what is missing.
     */
    @Test
    void aReceiverTakesTheSizeFromTheExtension() {
        byte[] source = JavaJpegs.withRestartMarkers(2560, 1440, 40);
        JpegFrame jpeg = new JpegParser().parse(source);
        assertThat(jpeg.exceedsHeaderDimensions()).isTrue();
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);

        byte[] first = receive(depacketizer, new Rfc2435Frame(jpeg, 1400, true), 1000);
        assertThat(new JpegParser().parse(first).width()).isEqualTo(2560);
        assertThat(new JpegParser().parse(first).height()).isEqualTo(1440);
        assertThat(scan(first)).isEqualTo(scan(source));

        byte[] second = receive(depacketizer, new Rfc2435Frame(jpeg, 1400, false), 4000);
        assertThat(second).isEqualTo(first);

        Rfc2435Depacketizer uninformed = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        assertThatThrownBy(() -> receive(uninformed, new Rfc2435Frame(jpeg, 1400, false), 1000))
                .isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining("no size declared (SDP a=x-dimensions) or sent (ONVIF JPEG header extension)");
    }

    /** The extension's size is exact, where the RFC 2435 header rounds up to 8: 1918 is 1920 there. */
    @Test
    void theExtensionsExactSizeTakesPrecedenceOverTheHeaders() {
        JpegFrame jpeg = new JpegParser().parse(JavaJpegs.baseline(1918, 1078));
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE, 640, 480);

        JpegFrame received = new JpegParser().parse(receive(depacketizer, new Rfc2435Frame(jpeg, 1400, true), 1000));
        assertThat(received.width()).isEqualTo(1918);
        assertThat(received.height()).isEqualTo(1078);

        JpegFrame plain = new JpegParser().parse(receive(new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE),
                new Rfc2435Frame(jpeg, 1400, false), 1000));
        assertThat(plain.width()).isEqualTo(1920);
        assertThat(plain.height()).isEqualTo(1080);
    }

    @Test
    void aMalformedExtensionDropsItsFrameAndTheNextOneComesThrough() {
        JpegFrame jpeg = new JpegParser().parse(JavaJpegs.baseline(2560, 1440));
        Rfc2435Frame frame = new Rfc2435Frame(jpeg, 1400, true);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        List<ByteBuffer> packets = packets(frame, 1000);
        packets.get(0).put(RtpHeader.LENGTH + 4, (byte) 0x12); // where the SOF's 0xFF is

        RtpHeader header = new RtpHeader();
        assertThatThrownBy(() -> depacketizer.push(packets.get(0), header.read(packets.get(0))))
                .isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining("ONVIF JPEG header extension holds 0x12 where a marker should be");
        for (ByteBuffer packet : packets.subList(1, packets.size())) {
            assertThat(depacketizer.push(packet, header.read(packet))).isNull();
        }
        assertThat(new JpegParser().parse(receive(depacketizer, frame, 4000)).width()).isEqualTo(2560);
    }

    /**
     * ONVIF lets a sender put a frame's headers ahead of its scan: a first packet holding only the extension, no RFC
     * 2435 payload, and later ones whose extension (0xFFFF) is empty. The size is taken from the first, the others
     * are skipped, and no frame counts as lost.
     */
    @Test
    void packetsOfOnlyTheExtensionGiveTheSizeAndAreSkipped() {
        JpegFrame jpeg = new JpegParser().parse(JavaJpegs.baseline(2560, 1440));
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        RtpHeader header = new RtpHeader();

        ByteBuffer headersOnly = ByteBuffer.allocate(RtpHeader.LENGTH + OnvifJpegExtension.LENGTH);
        RtpHeader.write(headersOnly, RtpHeader.PAYLOAD_TYPE_JPEG, false, 99, 1000, 7, true);
        OnvifJpegExtension.write(headersOnly, jpeg);
        ByteBuffer emptyContinuation = ByteBuffer.allocate(RtpHeader.LENGTH + 4);
        RtpHeader.write(emptyContinuation, RtpHeader.PAYLOAD_TYPE_JPEG, false, 100, 1000, 7, true);
        emptyContinuation.putShort((short) OnvifJpegExtension.CONTINUATION_PROFILE).putShort((short) 0);
        for (ByteBuffer packet : List.of(headersOnly.flip(), emptyContinuation.flip())) {
            assertThat(depacketizer.push(packet, header.read(packet))).isNull();
        }
        byte[] received = null;
        for (ByteBuffer packet : packets(new Rfc2435Frame(jpeg, 1400, false), 1000)) {
            received = depacketizer.push(packet, header.read(packet));
        }

        assertThat(received).isNotNull();
        assertThat(new JpegParser().parse(received).width()).isEqualTo(2560);
        assertThat(depacketizer.framesIncomplete()).isZero();
    }

    private static byte[] receive(Rfc2435Depacketizer depacketizer, Rfc2435Frame frame, int timestamp) {
        RtpHeader header = new RtpHeader();
        byte[] jpeg = null;
        for (ByteBuffer packet : packets(frame, timestamp)) {
            jpeg = depacketizer.push(packet, header.read(packet));
        }
        assertThat(jpeg).as("a frame from the last packet").isNotNull();
        return jpeg;
    }

    /** The frame's RTP packets as a sender writes them. */
    private static List<ByteBuffer> packets(Rfc2435Frame frame, int timestamp) {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer packet = ByteBuffer.allocate(frame.packetLength(i));
            RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, i == frame.packetCount() - 1, i, timestamp, 7,
                    frame.headerExtensionLength(i) > 0);
            frame.writeHeaderExtension(i, packet);
            frame.writePayload(i, packet);
            assertThat(packet.hasRemaining()).isFalse();
            packets.add(packet.flip());
        }
        return packets;
    }

    /** The entropy-coded data between SOS and EOI. */
    private static byte[] scan(byte[] jpeg) {
        JpegFrame frame = new JpegParser().parse(jpeg);
        return Arrays.copyOfRange(jpeg, frame.scanOffset(), frame.scanOffset() + frame.scanLength());
    }
}
