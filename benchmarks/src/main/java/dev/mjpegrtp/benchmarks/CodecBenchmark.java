package dev.mjpegrtp.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.jpeg.JpegTranscoder;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RFC 2435 codec on a 1920x1080 quality 85 frame, one operation per frame: what a sender spends to turn a JPEG
 * into packets written in a send buffer (as RtpMjpegProducer does, RTP header included), what a receiver spends to
 * rebuild the JPEG from them, and what a transcode costs. The {@code packets} counter gives packets per second;
 * {@code -prof gc} gives bytes allocated per frame ({@code gc.alloc.rate.norm}), and {@link #writeOnePacket} per
 * packet.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar -f 1 -wi 2 -i 3 -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {

    private static final int MTU = 1400;

    /** baseline: zero-copy; restart: zero-copy with restart-aligned packets; the others are transcoded. */
    @Param({"baseline", "restart", "optimized", "progressive"})
    public String source;

    private final JpegParser parser = new JpegParser();
    private final JpegTranscoder transcoder = new JpegTranscoder();
    private final ByteBuffer packet = ByteBuffer.allocateDirect(MTU);
    private final RtpHeader header = new RtpHeader();
    private byte[] jpeg;
    private Rfc2435Frame parsed;
    private ByteBuffer[] wire;
    private Rfc2435Depacketizer depacketizer;
    private int wireTimestamp;
    private int sequence;
    private int nextPacket;

    /** Packets handled, reported by JMH as a rate beside the frames. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Packets {
        public long packets;

        @Setup(Level.Iteration)
        public void reset() {
            packets = 0;
        }
    }

    @Setup(Level.Trial)
    public void makeFrame() {
        jpeg = switch (source) {
            case "baseline" -> BenchmarkFrames.baseline();
            case "restart" -> BenchmarkFrames.restartMarkers(BenchmarkFrames.WIDTH / 16);
            case "optimized" -> BenchmarkFrames.optimizedHuffman();
            case "progressive" -> BenchmarkFrames.progressive();
            default -> throw new IllegalArgumentException(source);
        };
        JpegFrame frame = parser.parse(jpeg);
        parsed = new Rfc2435Frame(frame, MTU);
        wire = new ByteBuffer[parsed.packetCount()];
        for (int i = 0; i < wire.length; i++) {
            ByteBuffer buffer = ByteBuffer.allocate(RtpHeader.LENGTH + parsed.payloadLength(i));
            RtpHeader.write(buffer, RtpHeader.PAYLOAD_TYPE_JPEG, i == wire.length - 1, i, 0, 1);
            parsed.writePayload(i, buffer);
            wire[i] = buffer.flip();
        }
        depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        System.out.printf("%n%s: %d bytes, %d packets of at most %d bytes, transcodings %s, restart-aligned %s%n", source,
                jpeg.length, wire.length, MTU, frame.transcodings(), frame.restartAligned());
    }

    /**
     * The sender's whole job per frame: parse (transcoding when needed, with one transcoder whose work buffers serve
     * frame after frame, as a sender keeps one), cut, write every packet.
     */
    @Benchmark
    public int parseAndPacketize(Packets counter) {
        return writeAll(new Rfc2435Frame(parser.parse(jpeg, transcoder), MTU), counter);
    }

    /** Cutting and writing only, the JPEG already parsed: what the producer does per frame on its event loop. */
    @Benchmark
    public int packetize(Packets counter) {
        return writeAll(parsed, counter);
    }

    /** One packet written: with {@code -prof gc}, its gc.alloc.rate.norm is the allocation per packet. */
    @Benchmark
    public int writeOnePacket() {
        int index = nextPacket;
        nextPacket = index + 1 == parsed.packetCount() ? 0 : index + 1;
        packet.clear();
        RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, nextPacket == 0, sequence++, 0, 1);
        parsed.writePayload(index, packet);
        return packet.position();
    }

    /**
     * The receiver's job per frame: every packet's header read, the frame reassembled and its JFIF rebuilt. Each call
     * is a new frame (the next RTP timestamp): the depacketizer ignores a frame it has already handed out.
     */
    @Benchmark
    public byte[] depacketize(Packets counter) {
        byte[] frame = null;
        wireTimestamp += 3000;
        for (ByteBuffer packet : wire) {
            packet.putInt(packet.position() + 4, wireTimestamp);
            header.read(packet);
            frame = depacketizer.push(packet, header.payloadOffset(), header.payloadLength(), header.timestamp(),
                    header.marker());
        }
        counter.packets += wire.length;
        return frame;
    }

    private int writeAll(Rfc2435Frame frame, Packets counter) {
        int packets = frame.packetCount();
        int bytes = 0;
        for (int i = 0; i < packets; i++) {
            packet.clear();
            RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, i == packets - 1, sequence++, 0, 1);
            frame.writePayload(i, packet);
            bytes += packet.position();
        }
        counter.packets += packets;
        return bytes;
    }
}
