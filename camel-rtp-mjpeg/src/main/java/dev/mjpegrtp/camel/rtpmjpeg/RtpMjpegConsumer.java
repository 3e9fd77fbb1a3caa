package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ReactiveExecutor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on host:port and emits each complete JPEG frame it reassembles from RTP/JPEG packets.
 *
 * <p>Packets are reassembled on the Netty event loop; the route runs on a thread of its own, so a slow route never
 * stalls the socket. At most {@code maxPendingFrames} frames wait for the route; newer ones are dropped and counted.
 */
@ManagedResource(description = "RTP/JPEG receiver")
public class RtpMjpegConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMjpegConsumer.class);
    /** Larger than any UDP datagram over IPv4, so that nothing is truncated (Netty's default is 2048). */
    private static final int DATAGRAM_BUFFER_SIZE = 65_536;

    private final RtpMjpegConfiguration configuration;
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final LongAdder framesDroppedBehind = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final RateLimitedLog failures = new RateLimitedLog(LOG);
    private final FrameRateMeter frameRate = new FrameRateMeter();

    private ExecutorService routeExecutor;
    private RtpMjpegReceiveHandler receiver;
    private volatile Channel channel;

    public RtpMjpegConsumer(RtpMjpegEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        // Camel's consumer health-check repository reports this under the id consumer:<route id>
        setHealthCheck(new ChannelHealthCheck("rtp-mjpeg:" + configuration.getHost() + ":" + configuration.getPort(),
                endpoint.sanitizedUri(), () -> channel, health -> health
                        .detail("framesReceived", getFramesReceived())
                        .detail("framesLost", getFramesLost())
                        .detail("framesFailed", getFramesFailed())
                        .detail("packetsRejected", getPacketsRejected())));
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
        receiver = new RtpMjpegReceiveHandler(configuration, this::frameReceived, failures);
        InetAddress address = InetAddress.getByName(configuration.getHost());
        // A multicast receiver binds the port on every address and then joins the group on one interface.
        InetSocketAddress local = address.isMulticastAddress()
                ? new InetSocketAddress(configuration.getPort())
                : new InetSocketAddress(address, configuration.getPort());
        LOG.debug("Binding to {}", local);
        channel = new Bootstrap()
                .group(getEndpoint().eventLoopGroup())
                .channelFactory(NettyTransport.datagramChannelFactory(address))
                .option(ChannelOption.SO_RCVBUF, configuration.getReceiveBufferSize())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_SIZE))
                .handler(receiver)
                .bind(local)
                .syncUninterruptibly()
                .channel();
        if (address.isMulticastAddress()) {
            NetworkInterface networkInterface = configuration.getMulticastInterface() != null
                    ? NettyTransport.networkInterface(configuration.getMulticastInterface())
                    : NettyTransport.defaultMulticastInterface();
            ((DatagramChannel) channel).joinGroup(new InetSocketAddress(address, configuration.getPort()), networkInterface)
                    .syncUninterruptibly();
            LOG.info("Receiving RTP/JPEG from multicast group {} on {} port {}", address.getHostAddress(),
                    networkInterface.getName(), configuration.getPort());
        } else {
            LOG.info("Receiving RTP/JPEG on {}", channel.localAddress());
        }
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
        frameRate.frame(frame.jpeg().length);
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
            } catch (Throwable e) {
                // Creating or releasing the exchange failed (out of memory): this thread must live on all the same.
                framesFailed.increment();
                failures.failure("A received frame could not be handed to the route; the next one goes on", e);
            } finally {
                pendingFrames.decrementAndGet();
            }
        });
    }

    /**
     * Runs the route on one frame. Whatever it throws, {@link Error}s included (an out-of-memory from a hostile frame,
     * a stack overflow in a processor), is counted and logged at a bounded rate, and the exchange is released: the
     * route thread lives on and the next frame goes through.
     */
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
            exchange.getIn().setHeader(RtpMjpegConstants.INTERVALS_CONCEALED, frame.intervalsConcealed());
            exchange.getIn().setHeader(RtpMjpegConstants.FIRST_SEQUENCE_NUMBER, frame.firstSequenceNumber());
            exchange.getIn().setHeader(RtpMjpegConstants.LAST_SEQUENCE_NUMBER, frame.lastSequenceNumber());
            getProcessor().process(exchange);
        } catch (Throwable e) {
            exchange.setException(e);
        } finally {
            Throwable failure = exchange.getException();
            if (failure != null) {
                framesFailed.increment();
                finishQueuedWork();
                // Camel's default handler logs every failure; a peer sending bad frames must not fill the log.
                if (getExceptionHandler() instanceof LoggingExceptionHandler) {
                    failures.failure("A received frame failed in the route; the next one goes on", failure);
                } else {
                    getExceptionHandler().handleException("Error processing a received frame", exchange, failure);
                }
            }
            releaseExchange(exchange, false);
        }
    }

    /**
     * Camel's reactive executor stops at an {@link Error} and leaves the rest of the exchange's work queued on this
     * thread, its completion included (what takes it out of the inflight registry), until another exchange runs here:
     * without this, failed exchanges would stay in flight, and hold up a graceful shutdown, as long as frames fail.
     */
    private void finishQueuedWork() {
        ReactiveExecutor executor = getEndpoint().getCamelContext().getCamelContextExtension().getReactiveExecutor();
        boolean more = true;
        while (more) {
            try {
                more = executor.executeFromQueue();
            } catch (Throwable e) {
                failures.failure("Completing a failed frame's exchange failed", e);
            }
        }
    }

    @ManagedAttribute(description = "Frames reassembled per second over the last second")
    public double getCurrentFps() {
        return frameRate.framesPerSecond();
    }

    @ManagedAttribute(description = "Bytes of the last JPEG reassembled")
    public int getLastFrameSize() {
        return frameRate.lastFrameSize();
    }

    @ManagedAttribute(description = "Frames reassembled whole")
    public long getFramesReceived() {
        return receiver == null ? 0 : receiver.framesCompleted();
    }

    @ManagedAttribute(description = "Frames lost in transit, dropped as incomplete or oversize, or dropped because the "
                                    + "route fell behind")
    public long getFramesLost() {
        return (receiver == null ? 0 : receiver.framesIncomplete()) + framesDroppedBehind.sum();
    }

    @ManagedAttribute(description = "Frames the route failed on: an exception, or an error such as OutOfMemoryError, "
                                    + "thrown while processing them")
    public long getFramesFailed() {
        return framesFailed.sum();
    }

    @ManagedAttribute(description = "Packets rejected: from a sender allowedSenders does not name, malformed, another "
                                    + "payload type, another SSRC or source address than the stream locked onto, "
                                    + "or failing SRTP's checks")
    public long getPacketsRejected() {
        return receiver == null ? 0 : receiver.packetsRejected();
    }

    @ManagedAttribute(description = "SRTP packets dropped because their authentication tag did not match (altered, "
            + "forged or sent with another key) or they were too short for one; counted in PacketsRejected too")
    public long getSrtpAuthenticationFailures() {
        return receiver == null ? 0 : receiver.srtpAuthenticationFailures();
    }

    @ManagedAttribute(description = "SRTP packets dropped as replays: an index received before or older than the "
            + "64-packet replay window; counted in PacketsRejected too")
    public long getSrtpReplaysRejected() {
        return receiver == null ? 0 : receiver.srtpReplaysRejected();
    }
}
