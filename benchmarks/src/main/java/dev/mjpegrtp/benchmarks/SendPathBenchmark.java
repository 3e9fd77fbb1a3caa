package dev.mjpegrtp.benchmarks;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.srtp.SrtpMasterKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The producer's send path against the cheapest way Netty can put the same datagrams on the wire, one operation per
 * 1080p Q85 frame (96 packets at MTU 1400) sent to a bound loopback socket that never reads (the kernel drops what
 * overflows its buffer, as a slow receiver would):
 * <ul>
 * <li>{@code bareNetty}: one task on a native epoll event loop writes 96 pre-filled 1400-byte pooled direct buffers as
 *     DatagramPackets and flushes once (sendmmsg) - the floor the issue measures at about 445 k packets/s;</li>
 * <li>{@code producer}: the {@code rtp-mjpeg:} producer of a Camel context handed the frame as JpegToRfc2435Processor
 *     leaves it, with and without UDP segmentation offload: RTP and RFC 2435 headers, the copy into send buffers,
 *     sequence numbers, counters and the exchange's completion; with segmentation offload the frame goes to the
 *     socket from the benchmark's thread, without it through a hand-off to the event loop; with {@code srtp}, every
 *     packet encrypted and authenticated in place (SRTP, AES_CM_128_HMAC_SHA1_80), 10 bytes of tag longer.</li>
 * </ul>
 * The {@code packets} counter gives packets per second; {@code -prof gc} gives bytes allocated per frame.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SendPathBenchmark -f 1 -wi 3 -i 5 -prof gc</pre>
 * SRTP against plain RTP, the producer only:
 * <pre>java -jar benchmarks/target/benchmarks.jar SendPathBenchmark.producer -p segmentationOffload=true -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.allocator.type=pooled")
@State(Scope.Benchmark)
public class SendPathBenchmark {

    private static final int MTU = 1400;

    @Param({"true", "false"})
    public boolean segmentationOffload;

    /** Whether the producer sends SRTP (with a random key) instead of plain RTP; the bare Netty floor ignores it. */
    @Param({"false", "true"})
    public boolean srtp;

    private DatagramChannel sink;
    private InetSocketAddress destination;
    private Rfc2435Frame frame;

    private EventLoopGroup group;
    private Channel bareChannel;
    private ByteBuf[] bareDatagrams;

    private CamelContext camel;
    private Producer producer;

    /** Packets sent, reported by JMH as a rate beside the frames. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Packets {
        public long packets;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        destination = (InetSocketAddress) sink.getLocalAddress();
        frame = new Rfc2435Frame(new JpegParser().parse(BenchmarkFrames.baseline()), MTU);

        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        bareChannel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new ChannelInboundHandlerAdapter()).bind(0).sync().channel();
        bareDatagrams = new ByteBuf[frame.packetCount()];
        for (int i = 0; i < bareDatagrams.length; i++) {
            bareDatagrams[i] = bareChannel.alloc().directBuffer(MTU).writeZero(MTU);
        }

        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.getEndpoint("rtp-mjpeg:" + destination.getHostString() + ":" + destination.getPort()
                + "?rtcp=false&segmentationOffload=" + segmentationOffload
                + (srtp ? "&srtpKey=RAW(" + SrtpMasterKey.random(new SecureRandom()).inline() + ")" : ""))
                .createProducer();
        producer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        producer.stop();
        camel.stop();
        bareChannel.close().sync();
        for (ByteBuf datagram : bareDatagrams) {
            datagram.release();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        sink.close();
    }

    @Benchmark
    public void bareNetty(Packets counter) throws Exception {
        bareChannel.eventLoop().submit(() -> {
            for (ByteBuf datagram : bareDatagrams) {
                bareChannel.write(new DatagramPacket(datagram.retainedDuplicate(), destination), bareChannel.voidPromise());
            }
            bareChannel.flush();
        }).sync();
        counter.packets += bareDatagrams.length;
    }

    @Benchmark
    public void producer(Packets counter) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(frame);
        producer.process(exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        counter.packets += frame.packetCount();
    }
}
