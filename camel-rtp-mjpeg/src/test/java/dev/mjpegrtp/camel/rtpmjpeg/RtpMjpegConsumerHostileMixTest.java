package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real 320x240 stream at 30 fps (GStreamer's moving ball, a different picture each frame) with hostile datagrams
 * mixed in from the same source address and SSRC: bad versions and headers, CSRC counts and extension lengths past the
 * end, absurd and overlapping fragment offsets, zero sizes, bad Q, table and restart headers, frames that never
 * complete, a rival SSRC, another payload type, garbage, and duplicated and reordered copies of the stream's own
 * packets. Once at random sequence numbers and timestamps, once with every hostile packet taking the stream's next
 * sequence number, so that it arrives before the good packet that carries the same one.
 *
 * <p>At least 95 % (90 % in the second run) of the frames sent come out, and every frame that comes out decodes to
 * exactly the picture sent under its timestamp.
 */
class RtpMjpegConsumerHostileMixTest extends CamelTestSupport {

    private static final int SSRC = 0x5EED_CAFE;
    static final int FRAMES = 150;
    static final int PICTURES = 30;
    private static final int TICKS_PER_FRAME = 3000;

    @TempDir
    static Path dir;

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive").to("mock:frames");
            }
        };
    }

    @ParameterizedTest(name = "hostile packets take the next sequence number: {0}")
    @ValueSource(booleans = {false, true})
    void theGoodStreamComesThroughWholeAndNothingElse(boolean nextSequenceNumber) throws Exception {
        List<byte[]> pictures = TestImages.gstJpegSequence(dir, "ball", 320, 240, PICTURES);
        List<Rfc2435Frame> frames = new ArrayList<>();
        List<int[]> decoded = new ArrayList<>();
        for (byte[] picture : pictures) {
            frames.add(new Rfc2435Frame(new JpegParser().parse(picture), 1400));
            decoded.add(JavaJpegs.decode(picture));
        }
        Random random = new Random(nextSequenceNumber ? 17 : 16);
        int firstTimestamp = random.nextInt();
        int sequence = random.nextInt(0x10000);
        int hostileSent;
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress consumer = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            sequence = warmUp(getMockEndpoint("mock:frames"), socket, consumer, frames.get(0), SSRC, sequence,
                    firstTimestamp);
            hostileSent = sendMixed(socket, consumer, frames, random, sequence, firstTimestamp, nextSequenceNumber);
        }

        MockEndpoint mock = getMockEndpoint("mock:frames");
        int required = FRAMES * (nextSequenceNumber ? 90 : 95) / 100;
        awaitQuiet(mock);
        Set<Integer> clean = new HashSet<>();
        int corrupt = 0;
        String firstCorrupt = null;
        Runnable pixelReport = () -> { };
        for (Exchange exchange : mock.getReceivedExchanges()) {
            int timestamp = exchange.getIn().getHeader(RtpMjpegConstants.RTP_TIMESTAMP, Integer.class);
            int index = Integer.divideUnsigned(timestamp - firstTimestamp, TICKS_PER_FRAME);
            boolean sentFrame = Integer.remainderUnsigned(timestamp - firstTimestamp, TICKS_PER_FRAME) == 0
                    && index < FRAMES;
            int[] pixels = decodeOrNull(exchange.getIn().getBody(byte[].class));
            if (sentFrame && pixels != null && Arrays.equals(pixels, decoded.get(index % PICTURES))) {
                clean.add(index);
                continue;
            }
            corrupt++;
            if (firstCorrupt == null) {
                firstCorrupt = "timestamp " + Integer.toUnsignedString(timestamp) + (sentFrame ? ", frame " + index
                        : ", not one sent") + (pixels == null ? ", undecodable" : "");
                if (sentFrame && pixels != null) {
                    int[] expected = decoded.get(index % PICTURES);
                    String what = "frame " + index;
                    pixelReport = () -> Pixels.assertIdentical(bytes(pixels), bytes(expected), what);
                }
            }
        }
        RtpMjpegConsumer consumer = (RtpMjpegConsumer) context.getRoute("receive").getConsumer();
        System.out.printf("hostile mix, %s sequence numbers: %d of %d frames clean (%d %%), %d corrupt, %d hostile "
                + "packets, %d rejected; warm-up included: %d frames reassembled, %d lost%n",
                nextSequenceNumber ? "next" : "random", clean.size(), FRAMES, clean.size() * 100 / FRAMES, corrupt,
                hostileSent, consumer.getPacketsRejected(), consumer.getFramesReceived(), consumer.getFramesLost());
        pixelReport.run();
        assertThat(corrupt).as("frames that are not the picture sent under their timestamp (first: %s)", firstCorrupt)
                .isZero();
        assertThat(clean.size()).as("frames of the good stream that came out").isGreaterThanOrEqualTo(required);
        assertThat(consumer.getPacketsRejected()).as("hostile packets counted").isPositive();
    }

    /**
     * Sends {@value #FRAMES} frames at 30 fps from {@code firstTimestamp} on, cycling through {@code frames}, with one
     * round of {@link #hostile hostile packets} interleaved at random among each frame's packets.
     *
     * @return the hostile packets sent
     */
    static int sendMixed(DatagramSocket socket, InetSocketAddress consumer, List<Rfc2435Frame> frames, Random random,
                         int sequence, int firstTimestamp, boolean nextSequenceNumber) throws Exception {
        int hostileSent = 0;
        List<byte[]> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int f = 0; f < FRAMES; f++) {
            Rfc2435Frame frame = frames.get(f % PICTURES);
            int timestamp = firstTimestamp + f * TICKS_PER_FRAME;
            List<Hostile> hostile = hostile(random, frame, sent);
            int good = 0;
            while (good < frame.packetCount() || !hostile.isEmpty()) {
                // hostile packets interleaved at random among the frame's own
                if (!hostile.isEmpty() && (good == frame.packetCount() || random.nextInt(3) == 0)) {
                    Hostile next = hostile.remove(hostile.size() - 1);
                    byte[] packet = next.bytes();
                    if (packet.length >= RtpHeader.LENGTH) {
                        ByteBuffer.wrap(packet).putShort(2, (short) (nextSequenceNumber ? sequence
                                : random.nextInt(0x10000)));
                        if (!next.keepsTimestamp()) {
                            ByteBuffer.wrap(packet).putInt(4, random.nextInt());
                        }
                    }
                    send(socket, consumer, packet);
                    hostileSent++;
                    continue;
                }
                ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(good));
                RtpHeader.write(packet, 26, good == frame.packetCount() - 1, sequence, timestamp, SSRC);
                frame.writePayload(good, packet);
                sequence = (sequence + 1) & 0xFFFF;
                sent.add(packet.array());
                send(socket, consumer, packet.array());
                good++;
            }
            long wait = start + (f + 1) * 1_000_000_000L / 30 - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return hostileSent;
    }

    /**
     * Sends a second of the good stream alone, ahead of {@code firstTimestamp}, and forgets what came out: the
     * measurement starts with the route and the JIT warm, as a camera's stream would find them.
     *
     * @return the next sequence number
     */
    static int warmUp(MockEndpoint mock, DatagramSocket socket, InetSocketAddress consumer, Rfc2435Frame frame,
                      int ssrc, int sequence, int firstTimestamp) throws Exception {
        for (int f = -30; f < 0; f++) {
            for (int i = 0; i < frame.packetCount(); i++) {
                ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(i));
                RtpHeader.write(packet, 26, i == frame.packetCount() - 1, sequence, firstTimestamp + f * TICKS_PER_FRAME,
                        ssrc);
                frame.writePayload(i, packet);
                sequence = (sequence + 1) & 0xFFFF;
                send(socket, consumer, packet.array());
            }
            Thread.sleep(33);
        }
        awaitQuiet(mock);
        assertThat(mock.getReceivedCounter()).as("the stream alone comes through").isPositive();
        mock.reset();
        return sequence;
    }

    /** Waits until no frame has come out for half a second, so that a late corrupt one would be seen too. */
    static void awaitQuiet(MockEndpoint mock) {
        int[] last = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    int now = mock.getReceivedCounter();
                    boolean quiet = now == last[0];
                    last[0] = now;
                    return quiet;
                });
    }

    /**
     * One frame's worth of each kind of hostile packet. Sequence numbers and timestamps are set when sent, except
     * for verbatim copies of the stream's packets, which keep their timestamp.
     */
    private static List<Hostile> hostile(Random random, Rfc2435Frame frame, List<byte[]> sent) {
        List<byte[]> packets = new ArrayList<>();
        packets.add(new byte[] {(byte) 0x40, 26, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2}); // RTP version 1
        packets.add(new byte[5]); // shorter than an RTP header
        packets.add(rtp(0x8F, 26, SSRC, new byte[4])); // 15 CSRCs announced, none there
        packets.add(rtp(0x90, 26, SSRC, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF})); // extension of 65535 words
        packets.add(rtp(0x80, 96, SSRC, jpegHeader(0, 1, 85, 40, 30))); // another payload type
        packets.add(rtp(0x80, 26, SSRC + 1, payloadOf(sent, random))); // a rival SSRC
        packets.add(rtp(0x80, 26, SSRC, jpegHeader(0xFFFFF0, 1, 85, 40, 30))); // offset past any frame
        packets.add(rtp(0x80, 26, SSRC, jpegHeader(0, 1, 0, 40, 30))); // Q 0
        packets.add(rtp(0x80, 26, SSRC, jpegHeader(0, 1, 110, 40, 30))); // reserved Q
        packets.add(rtp(0x80, 26, SSRC, jpegHeader(0, 7, 85, 40, 30))); // undefined type
        packets.add(rtp(0x80, 26, SSRC, jpegHeader(0, 1, 85, 0, 0))); // 0x0 without x-dimensions
        packets.add(rtp(0x80, 26, SSRC, concat(jpegHeader(0, 1, 255, 40, 30), new byte[] {0, 0, 0, 64}))); // tables
        packets.add(rtp(0x80, 26, SSRC, concat(jpegHeader(0, 65, 85, 40, 30), new byte[] {0, 0}))); // restart header
        packets.add(rtp(0x80, 26, SSRC, concat(jpegHeader(0, 65, 85, 40, 30), new byte[] {0, 0, (byte) 0xC0, 0})));
        byte[] overlapping = payloadOf(sent, random);
        overlapping[3] += 1; // a fragment one byte off
        packets.add(rtp(0x80, 26, SSRC, overlapping));
        for (int i = 0; i < 3; i++) { // frames that never complete: a valid first packet and nothing more
            ByteBuffer first = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(0));
            RtpHeader.write(first, 26, false, 0, 0, SSRC);
            frame.writePayload(0, first);
            packets.add(first.array());
        }
        byte[] noise = new byte[20 + random.nextInt(1400)];
        random.nextBytes(noise);
        packets.add(noise);
        List<Hostile> hostile = new ArrayList<>();
        for (byte[] packet : packets) {
            hostile.add(new Hostile(packet, false));
        }
        if (!sent.isEmpty()) {
            // copies of recent packets: one under a new timestamp, two under their own (a duplicate, a late one)
            for (int i = 0; i < 3; i++) {
                byte[] copy = sent.get(sent.size() - 1 - random.nextInt(Math.min(sent.size(), 40))).clone();
                hostile.add(new Hostile(copy, i > 0));
            }
        }
        Collections.shuffle(hostile, random);
        return hostile;
    }

    /** A hostile datagram; its sequence number, and unless it keeps it, its timestamp are set when it is sent. */
    private record Hostile(byte[] bytes, boolean keepsTimestamp) {
    }

    private static byte[] payloadOf(List<byte[]> sent, Random random) {
        if (sent.isEmpty()) {
            return jpegHeader(0, 1, 85, 40, 30);
        }
        byte[] packet = sent.get(random.nextInt(sent.size()));
        return Arrays.copyOfRange(packet, RtpHeader.LENGTH, packet.length);
    }

    private static byte[] rtp(int first, int payloadType, int ssrc, byte[] payload) {
        ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + payload.length);
        packet.put((byte) first).put((byte) payloadType).putShort((short) 0).putInt(0).putInt(ssrc);
        packet.put(payload);
        return packet.array();
    }

    private static byte[] jpegHeader(int offset, int type, int q, int width8, int height8) {
        return new byte[] {0, (byte) (offset >> 16), (byte) (offset >> 8), (byte) offset, (byte) type, (byte) q,
                           (byte) width8, (byte) height8, 1, 2, 3, 4};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int[] decodeOrNull(byte[] jpeg) {
        try {
            return JavaJpegs.decode(jpeg);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] bytes(int[] pixels) {
        ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4);
        bytes.asIntBuffer().put(pixels);
        return bytes.array();
    }

    static void send(DatagramSocket socket, InetSocketAddress target, byte[] data) throws java.io.IOException {
        socket.send(new DatagramPacket(data, data.length, target));
    }
}
