package dev.mjpegrtp.benchmarks;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.srtp.SrtpReceiver;
import dev.mjpegrtp.srtp.SrtpSender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What SRTP costs per packet, alone: {@code protect} encrypts and tags one RTP packet of {@code size} bytes in place in a
 * direct buffer, as the producer does in a frame's buffer; {@code unprotect} checks and decrypts one, as the consumer
 * does (a fresh packet each time, its sequence number one up, so that the replay window lets it through). With
 * {@code -prof gc}, bytes allocated per packet.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SrtpBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SrtpBenchmark {

    /** Bytes of the RTP packet before its tag: 1400 is the producer's default mtu less the tag. */
    @Param({"1390"})
    public int size;

    private SrtpSender sender;
    private SrtpReceiver receiver;
    private ByteBuffer packet;
    private ByteBuffer received;
    private int sequenceNumber;

    @Setup
    public void setUp() {
        SrtpMasterKey key = SrtpMasterKey.random(new SecureRandom());
        sender = new SrtpSender(key);
        receiver = new SrtpReceiver(key);
        packet = ByteBuffer.allocateDirect(size + SrtpSender.RTP_OVERHEAD);
        received = ByteBuffer.allocateDirect(size + SrtpSender.RTP_OVERHEAD);
        packet.put(0, (byte) 0x80).put(1, (byte) 26).putInt(8, 0x1234_5678);
    }

    @Benchmark
    public int protect() {
        packet.putShort(2, (short) sequenceNumber++);
        return sender.protectRtp(packet, 0, size);
    }

    @Benchmark
    public SrtpReceiver.Verdict unprotect() {
        packet.putShort(2, (short) sequenceNumber++);
        sender.protectRtp(packet, 0, size);
        received.put(0, packet, 0, size + SrtpSender.RTP_OVERHEAD);
        return receiver.unprotectRtp(received, 0, size + SrtpSender.RTP_OVERHEAD);
    }
}
