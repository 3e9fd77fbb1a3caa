package dev.mjpegrtp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.srtp.SrtpReceiver;
import dev.mjpegrtp.srtp.SrtpSender;

/**
 * The CPU time (the thread's, not the wall clock's: on a shared machine JMH's wall-clock figures for SrtpBenchmark
 * grow with the load) of SRTP per 1390-byte packet, the producer's default (mtu 1400 less the tag): protecting one in
 * place, and protecting, copying and checking one as a consumer does. Five rounds of 200,000 packets each.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.SrtpCpuTime</pre>
 */
public final class SrtpCpuTime {

    private static final int SIZE = 1390;
    private static final int PACKETS = 200_000;

    private SrtpCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SrtpMasterKey key = SrtpMasterKey.random(new SecureRandom());
        SrtpSender sender = new SrtpSender(key);
        // A receiver there from its stream's start: one that joins after the sequence numbers wrapped fails every tag.
        SrtpSender checkedSender = new SrtpSender(key);
        SrtpReceiver receiver = new SrtpReceiver(key);
        ByteBuffer packet = ByteBuffer.allocateDirect(SIZE + SrtpSender.RTP_OVERHEAD);
        ByteBuffer received = ByteBuffer.allocateDirect(SIZE + SrtpSender.RTP_OVERHEAD);
        packet.put(0, (byte) 0x80).put(1, (byte) 26).putInt(8, 0x1234_5678);
        int sequenceNumber = 0;
        int checkedSequenceNumber = 0;
        for (int round = 0; round < 5; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PACKETS; i++) {
                packet.putShort(2, (short) sequenceNumber++);
                sender.protectRtp(packet, 0, SIZE);
            }
            long protectedAll = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PACKETS; i++) {
                packet.putShort(2, (short) checkedSequenceNumber++);
                checkedSender.protectRtp(packet, 0, SIZE);
                received.put(0, packet, 0, SIZE + SrtpSender.RTP_OVERHEAD);
                if (receiver.unprotectRtp(received, 0, SIZE + SrtpSender.RTP_OVERHEAD)
                        != SrtpReceiver.Verdict.AUTHENTIC) {
                    throw new IllegalStateException("packet " + i + " of round " + round + " failed its check");
                }
            }
            long checkedAll = threads.getCurrentThreadCpuTime();
            System.out.printf("round %d: protect %.0f ns CPU per packet; protect, copy and unprotect %.0f ns%n", round,
                    (protectedAll - start) / (double) PACKETS, (checkedAll - protectedAll) / (double) PACKETS);
        }
    }
}
