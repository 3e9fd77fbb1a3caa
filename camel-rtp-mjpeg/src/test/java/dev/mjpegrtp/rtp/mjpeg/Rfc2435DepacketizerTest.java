package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Our packetizer and depacketizer against each other: the rebuilt JPEG decodes to the source's exact pixels. */
class Rfc2435DepacketizerTest {

    private final JpegParser parser = new JpegParser();

    /** The RTP packets of one frame, as a sender would put them on the wire. */
    private static List<ByteBuffer> packets(Rfc2435Frame frame, int firstSequence, int timestamp) {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer packet = ByteBuffer.allocate(frame.packetLength(i));
            RtpHeader.write(packet, 26, i == frame.packetCount() - 1, firstSequence + i, timestamp, 42,
                    frame.headerExtensionLength(i) > 0);
            frame.writeHeaderExtension(i, packet);
            frame.writePayload(i, packet);
            packets.add(packet.flip());
        }
        return packets;
    }

    private static byte[] push(Rfc2435Depacketizer depacketizer, ByteBuffer packet) {
        RtpHeader header = new RtpHeader().read(packet);
        return depacketizer.push(packet, header.payloadOffset(), header.payloadLength(), header.timestamp(),
                header.marker());
    }

    /** Pushes all packets and returns the frames completed. */
    private static List<byte[]> pushAll(Rfc2435Depacketizer depacketizer, List<ByteBuffer> packets) {
        List<byte[]> frames = new ArrayList<>();
        for (ByteBuffer packet : packets) {
            byte[] jpeg = push(depacketizer, packet);
            if (jpeg != null) {
                frames.add(jpeg);
            }
        }
        return frames;
    }

    @ParameterizedTest(name = "mtu {0}")
    @ValueSource(ints = {Rfc2435Frame.MIN_PACKET_SIZE, 576, 1400, 9000})
    void roundTripDecodesToTheSourcePixels(int mtu) {
        byte[] source = JavaJpegs.baseline(320, 240);
        JpegFrame parsed = parser.parse(source);
        List<byte[]> frames = pushAll(new Rfc2435Depacketizer(1 << 20), packets(new Rfc2435Frame(parsed, mtu), 100, 9000));

        assertThat(frames).hasSize(1);
        JpegFrame rebuilt = parser.parse(frames.get(0));
        assertThat(rebuilt.q()).isEqualTo(parsed.q());
        assertThat(rebuilt.type()).isEqualTo(parsed.type());
        assertThat(ByteBuffer.wrap(frames.get(0), rebuilt.scanOffset(), rebuilt.scanLength()))
                .isEqualTo(ByteBuffer.wrap(source, parsed.scanOffset(), parsed.scanLength()));
        assertThat(JavaJpegs.decode(frames.get(0))).isEqualTo(JavaJpegs.decode(source));
    }

    @Test
    void inBandTablesAreRebuilt() {
        byte[] source = JavaJpegs.baseline(64, 64);
        JpegFrame standard = parser.parse(source);
        source[standard.lumaTableOffset() + 63]++; // no Appendix A table any more: Q 255 with in-band tables
        JpegFrame parsed = parser.parse(source);
        assertThat(parsed.q()).isEqualTo(255);

        byte[] rebuilt = pushAll(new Rfc2435Depacketizer(1 << 20), packets(new Rfc2435Frame(parsed, 400), 1, 1)).get(0);
        JpegFrame again = parser.parse(rebuilt);
        assertThat(again.q()).isEqualTo(255);
        assertThat(ByteBuffer.wrap(rebuilt, again.lumaTableOffset(), 64))
                .isEqualTo(ByteBuffer.wrap(source, parsed.lumaTableOffset(), 64));
        assertThat(ByteBuffer.wrap(rebuilt, again.chromaTableOffset(), 64))
                .isEqualTo(ByteBuffer.wrap(source, parsed.chromaTableOffset(), 64));
        assertThat(JavaJpegs.decode(rebuilt)).isEqualTo(JavaJpegs.decode(source));
    }

    @Test
    void restartIntervalIsRebuilt() {
        byte[] source = JavaJpegs.insertBefore(JavaJpegs.baseline(64, 64), 0xDA,
                new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, 3});
        JpegFrame parsed = parser.parse(source);
        byte[] rebuilt = pushAll(new Rfc2435Depacketizer(1 << 20), packets(new Rfc2435Frame(parsed, 400), 1, 1)).get(0);
        JpegFrame again = parser.parse(rebuilt);
        assertThat(again.type()).isEqualTo(65);
        assertThat(again.restartInterval()).isEqualTo(3);
    }

    @Test
    void declaredDimensionsServeFramesOverTheHeaderLimit() {
        byte[] source = JavaJpegs.baseline(2048, 16);
        List<ByteBuffer> wire = packets(new Rfc2435Frame(parser.parse(source), 1400), 1, 1);

        assertThatThrownBy(() -> pushAll(new Rfc2435Depacketizer(1 << 20), wire))
                .isInstanceOf(MalformedRtpJpegPacketException.class).hasMessageContaining("no size declared");
        wire.forEach(ByteBuffer::rewind);
        List<byte[]> frames = pushAll(new Rfc2435Depacketizer(1 << 20, 2048, 16), wire);
        assertThat(frames).hasSize(1);
        assertThat(JavaJpegs.decode(frames.get(0))).isEqualTo(JavaJpegs.decode(source));
    }

    /**
     * cjpeg -quality 10 (not -baseline) writes 16-bit tables and SOF1; they travel in-band with the precision bits
     * set and come back as they were. (GStreamer 1.22 and FFmpeg 5.1 drop such frames: neither reads 16-bit tables.)
     */
    @Test
    void sixteenBitTablesTravelWithTheirPrecision(@TempDir Path dir) throws Exception {
        byte[] source = Files.readAllBytes(TestImages.cjpeg(dir, "q10", 160, 120, "-quality", "10"));
        JpegFrame parsed = parser.parse(source);
        assertThat(parsed.precision()).isEqualTo(3);

        byte[] rebuilt = pushAll(new Rfc2435Depacketizer(1 << 20), packets(new Rfc2435Frame(parsed, 600), 1, 1)).get(0);
        JpegFrame again = parser.parse(rebuilt);
        assertThat(again.precision()).isEqualTo(3);
        assertThat(ByteBuffer.wrap(rebuilt, again.lumaTableOffset(), 128))
                .isEqualTo(ByteBuffer.wrap(source, parsed.lumaTableOffset(), 128));
        assertThat(ByteBuffer.wrap(rebuilt, again.chromaTableOffset(), 128))
                .isEqualTo(ByteBuffer.wrap(source, parsed.chromaTableOffset(), 128));
        assertThat(JavaJpegs.decode(rebuilt)).isEqualTo(JavaJpegs.decode(source));
    }

    @ParameterizedTest(name = "mtu {0}")
    @ValueSource(ints = {300, 1400})
    void restartAlignedPacketsReassemble(int mtu, @TempDir Path dir) throws Exception {
        byte[] source = Files.readAllBytes(TestImages.cjpeg(dir, "restart", 320, 240, "-restart", "1"));
        JpegFrame parsed = parser.parse(source);
        assertThat(parsed.restartAligned()).isTrue();
        assertThat(parsed.restartIntervalOffsets()).hasSize(15); // one interval per row of 16-pixel MCUs

        byte[] rebuilt = pushAll(new Rfc2435Depacketizer(1 << 20), packets(new Rfc2435Frame(parsed, mtu), 1, 1)).get(0);
        JpegFrame again = parser.parse(rebuilt);
        assertThat(ByteBuffer.wrap(rebuilt, again.scanOffset(), again.scanLength()))
                .isEqualTo(ByteBuffer.wrap(source, parsed.scanOffset(), parsed.scanLength()));
        assertThat(again.restartIntervalOffsets()).isEqualTo(parsed.restartIntervalOffsets());
    }

    @Test
    void lostPacketDropsOnlyThatFrame() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> first = packets(frame, 0, 1000);
        first.remove(2);
        List<ByteBuffer> stream = new ArrayList<>(first);
        stream.addAll(packets(frame, 100, 4000));

        assertThat(pushAll(depacketizer, stream)).hasSize(1);
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
        assertThat(depacketizer.framesCompleted()).isEqualTo(1);
    }

    @Test
    void missingMarkerIsDetectedByTheNextTimestamp() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        stream.remove(stream.size() - 1);
        stream.addAll(packets(frame, 100, 4000));

        assertThat(pushAll(depacketizer, stream)).hasSize(1);
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
    }

    @Test
    void joiningMidFrameWaitsQuietlyForTheNextFrame() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        stream.subList(0, 3).clear();
        stream.addAll(packets(frame, 100, 4000));

        assertThat(pushAll(depacketizer, stream)).hasSize(1);
        assertThat(depacketizer.framesIncomplete()).isZero();
    }

    @Test
    void reorderedAndDuplicatedPacketsAreReassembledByOffset() {
        byte[] source = JavaJpegs.baseline(320, 240);
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(source), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        Collections.swap(stream, 1, 2);
        Collections.swap(stream, 0, stream.size() - 1); // the marker first
        stream.add(3, stream.get(3).duplicate());

        List<byte[]> frames = pushAll(depacketizer, stream);
        assertThat(frames).hasSize(1);
        assertThat(JavaJpegs.decode(frames.get(0))).isEqualTo(JavaJpegs.decode(source));
        assertThat(depacketizer.packetsDuplicate()).isEqualTo(1);
        assertThat(depacketizer.framesIncomplete()).isZero();
    }

    @Test
    void aPacketThatContradictsItsFrameIsRejectedAndTheFrameCompletes() {
        byte[] source = JavaJpegs.baseline(320, 240);
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(source), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        ByteBuffer forged = ByteBuffer.allocate(stream.get(1).limit()).put(stream.get(1).duplicate()).flip();
        forged.put(RtpHeader.LENGTH + 6, (byte) 20); // same offset, another width

        assertThat(push(depacketizer, stream.get(0))).isNull();
        assertThatThrownBy(() -> push(depacketizer, forged)).isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining("contradicts its frame");
        List<byte[]> frames = pushAll(depacketizer, stream.subList(1, stream.size()));
        assertThat(frames).hasSize(1);
        assertThat(JavaJpegs.decode(frames.get(0))).isEqualTo(JavaJpegs.decode(source));
    }

    @Test
    void overlappingFragmentsContestTheFrameWhichIsNeverHandedOut() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        ByteBuffer overlapping = ByteBuffer.allocate(stream.get(2).limit()).put(stream.get(2).duplicate()).flip();
        overlapping.put(RtpHeader.LENGTH + 3, (byte) (overlapping.get(RtpHeader.LENGTH + 3) + 1)); // offset + 1
        stream.add(1, overlapping);
        stream.addAll(packets(frame, 100, 4000));

        assertThat(pushAll(depacketizer, stream)).hasSize(1);
        assertThat(depacketizer.timestamp()).isEqualTo(4000);
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
    }

    @Test
    void aLatePacketOfAFrameHandedOutIsIgnored() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        stream.addAll(packets(frame, 100, 4000));
        stream.add(packets(frame, 0, 1000).get(0));
        stream.addAll(packets(frame, 200, 7000));

        assertThat(pushAll(depacketizer, stream)).hasSize(3);
        assertThat(depacketizer.packetsLate()).isEqualTo(1);
        assertThat(depacketizer.framesIncomplete()).isZero();
    }

    @Test
    void aFrameFarAheadOfTheStreamDoesNotMakeItsNextFramesLate() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        List<ByteBuffer> stream = packets(frame, 0, 1000);
        stream.addAll(packets(frame, 50, 1000 + 5 * 90_000)); // a forged frame, 5 s ahead
        stream.addAll(packets(frame, 100, 4000));
        stream.addAll(packets(frame, 200, 7000));

        assertThat(pushAll(depacketizer, stream)).hasSize(4);
        assertThat(depacketizer.timestamp()).isEqualTo(7000);
        assertThat(depacketizer.packetsLate()).isZero();
    }

    @Test
    void aFrameHoldsNoMoreBytesThanItsSizeCanCode() {
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        // 16x16, type 1: one MCU of six blocks, at most 2 524 bytes of scan
        ByteBuffer first = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 50, 2, 2, 1, 2, 3, 4});
        ByteBuffer far = ByteBuffer.wrap(new byte[] {0, 0, 0x10, 0, 1, 50, 2, 2, 5, 6, 7, 8});
        assertThat(depacketizer.push(first, 0, first.limit(), 9, false)).isNull();
        assertThatThrownBy(() -> depacketizer.push(far, 0, far.limit(), 9, true))
                .isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining("beyond the 2524 bytes a 16x16 frame can take");
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
    }

    static Stream<Arguments> oversizedFrames() {
        return Stream.of(
                arguments("RFC 2435 header", 320, 240, 0, 0, JavaJpegs.baseline(320, 248), false),
                arguments("RFC 2435 header", 320, 240, 0, 0, JavaJpegs.baseline(328, 240), false),
                arguments("declared a=x-dimensions", 4096, 2160, 4104, 2160, JavaJpegs.baseline(2048, 16), false),
                arguments("ONVIF JPEG header extension", 2048, 2048, 0, 0, JavaJpegs.baseline(2056, 16), true));
    }

    @ParameterizedTest(name = "{0}: limit {1}x{2}")
    @MethodSource("oversizedFrames")
    void aFrameOverTheMaximumSizeIsRejectedWhateverGivesItsSize(String sizeSource, int maxWidth, int maxHeight,
                                                                int declaredWidth, int declaredHeight, byte[] source,
                                                                boolean onvifExtension) {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(source), 1400, onvifExtension);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20, maxWidth, maxHeight, declaredWidth,
                declaredHeight);
        RtpHeader header = new RtpHeader();
        ByteBuffer first = packets(frame, 0, 1000).get(0);
        assertThatThrownBy(() -> depacketizer.push(first, header.read(first)))
                .isInstanceOf(MalformedRtpJpegPacketException.class)
                .hasMessageContaining("from the " + sizeSource)
                .hasMessageContaining("exceeds the limit of " + maxWidth + "x" + maxHeight);
        assertThat(depacketizer.framesCompleted()).isZero();
    }

    @Test
    void frameOverTheSizeLimitIsDroppedAndMemoryStaysBounded() {
        Rfc2435Frame frame = new Rfc2435Frame(parser.parse(JavaJpegs.baseline(320, 240)), 576);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(2000);
        Throwable thrown = null;
        for (ByteBuffer packet : packets(frame, 0, 1000)) {
            Throwable t = catchThrowable(() -> push(depacketizer, packet));
            thrown = thrown == null ? t : thrown;
        }
        assertThat(thrown).isInstanceOf(MalformedRtpJpegPacketException.class).hasMessageContaining("maximum frame size");
        assertThat(depacketizer.framesIncomplete()).isEqualTo(1);
        assertThat(depacketizer.framesCompleted()).isZero();
    }

    @Test
    void cachedTablesServeALaterFrameWithoutThem() {
        byte[] q128 = {0, 0, 0, 0, 1, (byte) 128, 1, 1, /* quant header */ 0, 0, 0, (byte) 128};
        ByteBuffer first = ByteBuffer.allocate(q128.length + 128 + 4);
        first.put(q128);
        for (int i = 0; i < 128; i++) {
            first.put((byte) (i + 1));
        }
        first.put(new byte[] {1, 2, (byte) 0xFF, (byte) 0xD9});
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 16);
        assertThat(depacketizer.push(first.flip(), 0, first.limit(), 1, true)).isNotNull();

        // 4 bytes of scan: the least an 8x8 type 1 image can be coded in
        ByteBuffer second = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, (byte) 128, 1, 1, 0, 0, 0, 0, 5, 6, 7, 8});
        byte[] jpeg = depacketizer.push(second, 0, second.limit(), 2, true);
        assertThat(parser.parse(jpeg).q()).isEqualTo(255); // tables 1..128 match no Appendix A Q
        assertThat(jpeg[jpeg.length - 6]).isEqualTo((byte) 5);
    }

    @Test
    void cachedTablesServeAFrameThatStartedBeforeTheyWereCached() {
        byte[] q128 = {0, 0, 0, 0, 1, (byte) 128, 1, 1, /* quant header */ 0, 0, 0, (byte) 128};
        ByteBuffer withTables = ByteBuffer.allocate(q128.length + 128 + 4);
        withTables.put(q128);
        for (int i = 0; i < 128; i++) {
            withTables.put((byte) (i + 1));
        }
        withTables.put(new byte[] {1, 2, (byte) 0xFF, (byte) 0xD9}).flip();
        ByteBuffer secondHalf = ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 1, (byte) 128, 1, 1, 7, 8});
        ByteBuffer firstHalf = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, (byte) 128, 1, 1, 0, 0, 0, 0, 5, 6});
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 16);

        assertThat(depacketizer.push(secondHalf, 0, secondHalf.limit(), 2, true)).isNull(); // no tables known yet
        assertThat(depacketizer.push(withTables, 0, withTables.limit(), 1, true)).isNotNull();
        byte[] jpeg = depacketizer.push(firstHalf, 0, firstHalf.limit(), 2, false);
        assertThat(depacketizer.timestamp()).isEqualTo(2);
        assertThat(parser.parse(jpeg).q()).isEqualTo(255); // tables 1..128 match no Appendix A Q
    }

    @Test
    void q255WithoutTablesIsRejected() {
        ByteBuffer packet = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, (byte) 255, 1, 1, 0, 0, 0, 0, 5, 6});
        assertThatThrownBy(() -> new Rfc2435Depacketizer(1 << 16).push(packet, 0, packet.limit(), 2, true))
                .isInstanceOf(MalformedRtpJpegPacketException.class).hasMessageContaining("without in-band tables");
    }

    static Stream<Arguments> hostileSources() {
        return Stream.of(
                arguments("baseline", JavaJpegs.baseline(64, 64), false),
                arguments("restart-aligned, concealing losses", JavaJpegs.withRestartMarkers(64, 64, 1), true));
    }

    /**
     * Frame after frame, under advancing timestamps, packets arrive shuffled, mutated, duplicated or not at all: only
     * typed exceptions, frames within the size limit, and restart-aligned frames with a few losses still come out.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileSources")
    void hostilePacketsOnlyRaiseTypedExceptions(String name, byte[] source, boolean restartAligned) {
        JpegFrame parsed = parser.parse(source);
        assertThat(parsed.restartAligned()).isEqualTo(restartAligned);
        Rfc2435Frame frame = new Rfc2435Frame(parsed, Rfc2435Frame.MIN_PACKET_SIZE + 40);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 16);
        Random random = new Random(7);
        for (int f = 0; f < 5_000; f++) {
            List<ByteBuffer> good = packets(frame, f * 100, f * 3000);
            for (int i = 0; i < good.size(); i++) {
                ByteBuffer original = good.get(random.nextInt(100) < 80 ? i : random.nextInt(good.size()));
                int kind = random.nextInt(100);
                if (kind < 5) {
                    continue; // lost
                }
                byte[] bytes = new byte[kind < 20 ? Math.max(1, random.nextInt(original.limit() + 1)) : original.limit()];
                original.duplicate().get(bytes, 0, Math.min(bytes.length, original.limit()));
                for (int m = kind < 20 ? random.nextInt(6) : -1; m >= 0; m--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                ByteBuffer packet = ByteBuffer.wrap(bytes);
                Throwable thrown = catchThrowable(() -> {
                    byte[] jpeg = push(depacketizer, packet);
                    if (jpeg != null) {
                        assertThat(jpeg.length).isLessThanOrEqualTo((1 << 16) + 1024);
                    }
                });
                if (thrown != null) {
                    assertThat(thrown).isInstanceOf(MalformedRtpJpegPacketException.class);
                }
            }
        }
        assertThat(depacketizer.framesCompleted()).as("frames through").isPositive();
        assertThat(depacketizer.framesConcealed() > 0).as("losses concealed").isEqualTo(restartAligned);
    }
}
