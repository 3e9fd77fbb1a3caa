package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on host:port and emits each complete JPEG frame it reassembles from RTP/JPEG packets.
 *
 * <p>Packets are reassembled on the Netty event loop; the route runs on a thread of its own, so a slow route never
 * stalls the socket. At most {@code maxPendingFrames} frames wait for the route; newer ones are dropped and counted.
 */
public class RtpMjpegConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMjpegConsumer.class);
    /** Larger than any UDP datagram over IPv4, so that nothing is truncated (Netty's default is 2048). */
    private static final int DATAGRAM_BUFFER_SIZE = 65_536;

    private final RtpMjpegConfiguration configuration;
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final LongAdder framesDroppedBehind = new LongAdder();

    private ExecutorService routeExecutor;
    private RtpMjpegReceiveHandler receiver;
    private Channel channel;

    public RtpMjpegConsumer(RtpMjpegEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public RtpMjpegEndpoint getEndpoint() {
        return (RtpMjpegEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        routeExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "rtp-mjpeg-consumer");
        receiver = new RtpMjpegReceiveHandler(configuration, this::frameReceived);
        InetSocketAddress local = new InetSocketAddress(configuration.getHost(), configuration.getPort());
        LOG.debug("Binding to {}", local);
        channel = new Bootstrap()
                .group(getEndpoint().eventLoopGroup())
                .channel(NettyTransport.datagramChannelClass())
                .option(ChannelOption.SO_RCVBUF, configuration.getReceiveBufferSize())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_SIZE))
                .handler(receiver)
                .bind(local)
                .syncUninterruptibly()
                .channel();
        LOG.info("Receiving RTP/JPEG on {}", channel.localAddress());
    }

    @Override
    protected void doStop() throws Exception {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (routeExecutor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(routeExecutor);
            routeExecutor = null;
        }
        super.doStop();
    }

    /** Called on the event loop with a complete frame. */
    private void frameReceived(ReceivedFrame frame) {
        if (pendingFrames.incrementAndGet() > configuration.getMaxPendingFrames()) {
            pendingFrames.decrementAndGet();
            framesDroppedBehind.increment();
            LOG.debug("Dropped a frame from {}: the route is {} frames behind", frame.sender(),
                    configuration.getMaxPendingFrames());
            return;
        }
        routeExecutor.execute(() -> {
            try {
                process(frame);
            } finally {
                pendingFrames.decrementAndGet();
            }
        });
    }

    private void process(ReceivedFrame frame) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(frame.jpeg());
            exchange.getIn().setHeader(RtpMjpegConstants.RTP_TIMESTAMP, Integer.toUnsignedLong(frame.rtpTimestamp()));
            exchange.getIn().setHeader(RtpMjpegConstants.SSRC, Integer.toUnsignedLong(frame.ssrc()));
            exchange.getIn().setHeader(RtpMjpegConstants.WIDTH, frame.width());
            exchange.getIn().setHeader(RtpMjpegConstants.HEIGHT, frame.height());
            exchange.getIn().setHeader(RtpMjpegConstants.REMOTE_ADDRESS, frame.sender());
            exchange.getIn().setHeader(RtpMjpegConstants.FRAMES_LOST, frame.framesLost() + framesDroppedBehind.sum());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing a received frame", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    /** Frames completed so far. */
    public long getFramesReceived() {
        return receiver == null ? 0 : receiver.framesCompleted();
    }

    /** Frames lost in transit, dropped as incomplete or oversize, or dropped because the route fell behind. */
    public long getFramesLost() {
        return (receiver == null ? 0 : receiver.framesIncomplete()) + framesDroppedBehind.sum();
    }

    /** Packets rejected: malformed, another payload type, or another SSRC than the stream locked onto. */
    public long getPacketsRejected() {
        return receiver == null ? 0 : receiver.packetsRejected();
    }
}
