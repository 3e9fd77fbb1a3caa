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
import org.apache.camel.support.DefaultConsumer;
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
    private final FrameRateMeter frameRate = new FrameRateMeter();

    private ExecutorService routeExecutor;
    private RtpMjpegReceiveHandler receiver;
    private volatile Channel channel;

    public RtpMjpegConsumer(RtpMjpegEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        // Camel's consumer health-check repository reports this under the id consumer:<route id>
        setHealthCheck(new ChannelHealthCheck("rtp-mjpeg:" + configuration.getHost() + ":" + configuration.getPort(),
                endpoint.getEndpointUri(), () -> channel, health -> health
                        .detail("framesReceived", getFramesReceived())
                        .detail("framesLost", getFramesLost())
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
        receiver = new RtpMjpegReceiveHandler(configuration, this::frameReceived);
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
            exchange.getIn().setHeader(RtpMjpegConstants.INTERVALS_CONCEALED, frame.intervalsConcealed());
            exchange.getIn().setHeader(RtpMjpegConstants.FIRST_SEQUENCE_NUMBER, frame.firstSequenceNumber());
            exchange.getIn().setHeader(RtpMjpegConstants.LAST_SEQUENCE_NUMBER, frame.lastSequenceNumber());
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

    @ManagedAttribute(description = "Packets rejected: malformed, another payload type, or another SSRC than the "
                                    + "stream locked onto")
    public long getPacketsRejected() {
        return receiver == null ? 0 : receiver.packetsRejected();
    }
}
