package dev.mjpegrtp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.srtp.SrtpMasterKey;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The CPU time per frame of the {@code rtp-mjpeg:} producer's send path, plain RTP and SRTP side by side in one JVM:
 * the same 1080p Q85 frame (96 packets at mtu 1400), sent alternately by a plain producer and an SRTP one to a bound
 * loopback socket that never reads. Unpaced with segmentation offload (the defaults, on Linux), all of a frame's work
 * happens on the sending thread, whose CPU time (user and system, the kernel's sends included) is what counts: on a
 * shared machine, wall-clock figures grow with the load, CPU time much less.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.SendPathCpuTime</pre>
 */
public final class SendPathCpuTime {

    private static final int FRAMES = 5_000;

    private SendPathCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Rfc2435Frame frame = new Rfc2435Frame(new JpegParser().parse(BenchmarkFrames.baseline()), 1400);
        try (DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress destination = (InetSocketAddress) sink.getLocalAddress();
            CamelContext camel = new DefaultCamelContext();
            camel.start();
            String uri = "rtp-mjpeg:" + destination.getHostString() + ":" + destination.getPort() + "?rtcp=false";
            Producer plain = camel.getEndpoint(uri).createProducer();
            Producer srtp = camel.getEndpoint(uri + "&srtpKey=RAW(" + SrtpMasterKey.random(new SecureRandom()).inline()
                    + ")").createProducer();
            plain.start();
            srtp.start();
            for (int round = 0; round < 5; round++) {
                long plainNanos = 0;
                long srtpNanos = 0;
                for (int i = 0; i < FRAMES; i++) {
                    plainNanos += cpuTime(threads, plain, camel, frame);
                    srtpNanos += cpuTime(threads, srtp, camel, frame);
                }
                System.out.printf("round %d, %d packets a frame: plain %.1f us CPU per frame, SRTP %.1f us "
                        + "(%.2f x); SRTP adds %.0f ns per packet%n", round, frame.packetCount(),
                        plainNanos / 1e3 / FRAMES, srtpNanos / 1e3 / FRAMES, srtpNanos / (double) plainNanos,
                        (srtpNanos - plainNanos) / (double) FRAMES / frame.packetCount());
            }
            srtp.stop();
            plain.stop();
            camel.stop();
        }
    }

    private static long cpuTime(ThreadMXBean threads, Producer producer, CamelContext camel, Rfc2435Frame frame)
            throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(frame);
        long start = threads.getCurrentThreadCpuTime();
        producer.process(exchange);
        long spent = threads.getCurrentThreadCpuTime() - start;
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return spent;
    }
}
