package dev.mjpegrtp.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.mjpegrtp.jpeg.JpegTranscoder;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/**
 * Our sender's job per frame, as {@link CodecBenchmark#parseAndPacketize} does it (parse, cut, write every packet with
 * its RTP header), timed the way scripts/bench_rtpjpegpay.sh times rtpjpegpay: a number of frames, the fastest of
 * several runs, wall and CPU time. On a machine others load, JMH's wall-clock scores and the script's pipeline times
 * are taken at different moments; this puts both sides of the ratio on the same measure at the same moment.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.SenderTiming frame.jpg 3000 5</pre>
 *
 * prints "wall-seconds cpu-seconds" for the frames, each the smallest of the runs, after 6 s of JIT warm-up.
 */
public final class SenderTiming {

    private static final int MTU = 1400;
    /** As long as JMH's warm-up of CodecBenchmark (3 iterations of 2 s), so that the JIT has compiled the same code. */
    private static final long WARM_UP_NANOS = 6_000_000_000L;

    private final byte[] jpeg;
    private final JpegParser parser = new JpegParser();
    private final JpegTranscoder transcoder = new JpegTranscoder();
    private final ByteBuffer packet = ByteBuffer.allocateDirect(MTU);
    private int sequence;

    private SenderTiming(byte[] jpeg) {
        this.jpeg = jpeg;
    }

    public static void main(String[] args) throws IOException {
        SenderTiming sender = new SenderTiming(Files.readAllBytes(Path.of(args[0])));
        int frames = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long written = 0;
        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUpEnd) {
            written += sender.send(frames);
        }
        long wall = Long.MAX_VALUE;
        long cpu = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long wallStart = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            written += sender.send(frames);
            cpu = Math.min(cpu, threads.getCurrentThreadCpuTime() - cpuStart);
            wall = Math.min(wall, System.nanoTime() - wallStart);
        }
        if (written == 0) {
            throw new IllegalStateException("no packets written");
        }
        System.out.printf(Locale.ROOT, "%.6f %.6f%n", wall / 1e9, cpu / 1e9);
    }

    /** Bytes of all packets of {@code frames} frames. */
    private long send(int frames) {
        long bytes = 0;
        for (int f = 0; f < frames; f++) {
            Rfc2435Frame frame = new Rfc2435Frame(parser.parse(jpeg, transcoder), MTU);
            int packets = frame.packetCount();
            for (int i = 0; i < packets; i++) {
                packet.clear();
                RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, i == packets - 1, sequence++, 0, 1);
                frame.writePayload(i, packet);
                bytes += packet.position();
            }
        }
        return bytes;
    }
}
