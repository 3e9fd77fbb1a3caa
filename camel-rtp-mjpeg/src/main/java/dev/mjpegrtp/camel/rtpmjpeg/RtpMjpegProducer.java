package dev.mjpegrtp.camel.rtpmjpeg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.SessionDescription;
import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.srtp.SrtpSender;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDatagramChannel;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's JPEG frame as one run of RTP/JPEG packets from an unconnected UDP socket (a connected one
 * would fail writes with PortUnreachable while no receiver listens yet).
 *
 * <p>The body is an {@link Rfc2435Frame} from {@link JpegToRfc2435Processor} or a JPEG as {@code byte[]}. The send
 * core ({@link RtpStreamSender} to a {@link UdpRtpSink}) packetizes it for this one destination and writes it; the
 * exchange completes when its last packet is written. Unpaced where the kernel segments UDP (Linux, epoll), that
 * happens on the thread that routes the exchange, straight to the socket ({@link DirectDatagramWriter}), and the
 * exchange completes synchronously; otherwise the frame is handed to the channel's event loop in one task. Sequence
 * numbers and timestamps are this producer's own, so several producers may send the same frame.
 *
 * <p>With srtpKey, every packet goes out as SRTP and every RTCP compound as SRTCP, protected in place in the frame's
 * buffer ({@link SrtpSender}); the payloads are cut 10 bytes shorter than the mtu, so that packets with their tag
 * still fit it.
 */
@ManagedResource(description = "RTP/JPEG sender")
public class RtpMjpegProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMjpegProducer.class);

    private final RtpMjpegConfiguration configuration;
    private final SecureRandom random = new SecureRandom();
    private final LongAdder framesRejected = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final SendErrorCounter sendErrors = new SendErrorCounter();

    private volatile Channel channel;
    private final HealthCheck healthCheck;
    /** Where Camel keeps producer health checks, when camel.health.producersEnabled is on. */
    private WritableHealthCheckRepository producerHealthChecks;
    private RtpStreamSender sender;
    /** Whether frames go to the kernel from the thread that routes them: see {@link DirectDatagramWriter}. */
    private boolean sendsFromCaller;
    private InetSocketAddress destination;
    private int ssrc;
    private int timestampBase;
    private ExchangeFrameReader frames;
    /** Frame size announced in the SDP file with a=x-dimensions; guarded by this. */
    private int sdpWidth;
    private int sdpHeight;
    /** The SRTP key, or null for plain RTP. */
    private SrtpMasterKey srtpKey;

    public RtpMjpegProducer(RtpMjpegEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        this.healthCheck = new ChannelHealthCheck("producer:rtp-mjpeg:" + configuration.getHost() + ":"
                + configuration.getPort(),
                endpoint.sanitizedUri(), () -> channel, health -> health
                        .detail("framesSent", getFramesSent())
                        .detail("framesDropped", getFramesDropped())
                        .detail("framesRejected", getFramesRejected())
                        .detail("sendErrors", getSendErrors()));
    }

    @Override
    public RtpMjpegEndpoint getEndpoint() {
        return (RtpMjpegEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Resolved once here: an unresolved recipient on every write costs a lookup and has broken epoll writes.
        InetAddress address = InetAddress.getByName(configuration.getHost());
        destination = new InetSocketAddress(address, configuration.getPort());
        ssrc = configuration.getSsrc() != null ? configuration.getSsrc().intValue() : random.nextInt();
        timestampBase = random.nextInt();
        srtpKey = configuration.srtpMasterKey();
        int tag = srtpKey == null ? 0 : SrtpSender.RTP_OVERHEAD;
        frames = new ExchangeFrameReader(configuration.getInBandQ(), configuration.getMtu() - tag,
                configuration.isOnvifHeaderExtension(), configuration.getPtsHeader());
        Bootstrap bootstrap = new Bootstrap()
                .group(getEndpoint().eventLoopGroup())
                .channelFactory(NettyTransport.datagramChannelFactory(address))
                .option(ChannelOption.SO_SNDBUF, configuration.getSendBufferSize())
                .option(ChannelOption.IP_MULTICAST_TTL, configuration.getTtl())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(configuration.getSendBufferSize(), 2 * configuration.getSendBufferSize()))
                .handler(sendErrors);
        if (configuration.getMulticastInterface() != null) {
            bootstrap.option(ChannelOption.IP_MULTICAST_IF, NettyTransport.networkInterface(configuration.getMulticastInterface()));
        }
        channel = bootstrap.bind(0).syncUninterruptibly().channel();
        boolean segmentation = configuration.isSegmentationOffload() && NettyTransport.supportsSegmentation(channel);
        // Unpaced, a frame goes to the kernel from the thread that routes it, in a few segmented sends; paced, its
        // batches are the event loop's, and so are a datagram per packet, one sendmmsg a frame.
        DatagramWriter datagrams = segmentation && configuration.getPacing() == 0
                ? new DirectDatagramWriter((EpollDatagramChannel) channel, destination)
                : new DatagramRunWriter(channel, destination, segmentation);
        sendsFromCaller = datagrams instanceof DirectDatagramWriter;
        UdpRtpSink sink = new UdpRtpSink(channel, channel, destination,
                new InetSocketAddress(address, configuration.getPort() + 1), datagrams);
        sender = new RtpStreamSender(sink, configuration.getPayloadType(), ssrc, random.nextInt() & 0xFFFF,
                "mjpeg-rtp@" + InetAddress.getLocalHost().getHostName(), configuration.getPacing(),
                srtpKey == null ? null : new SrtpSender(srtpKey));
        if (configuration.isRtcp()) {
            long interval = configuration.getRtcpInterval();
            sender.startReports(interval, interval, TimeUnit.MILLISECONDS);
        }
        if (configuration.getSdpFile() != null) {
            writeSdp(Path.of(configuration.getSdpFile()), 0, 0);
        }
        producerHealthChecks = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (producerHealthChecks != null) {
            producerHealthChecks.addHealthCheck(healthCheck);
        }
        if (srtpKey != null && configuration.getSsrc() != null) {
            LOG.warn("SRTP to {} under the fixed SSRC {}: a restart with the same srtpKey sends packet indices of the "
                    + "last run again under the same keystream; give each run a new key, or leave ssrc unset (a random "
                    + "SSRC each run)", destination, configuration.getSsrc());
        }
        LOG.info("Sending {}/JPEG to {} (payload type {}, mtu {}, SSRC {}{}{}{})", srtpKey == null ? "RTP" : "SRTP",
                destination,
                configuration.getPayloadType(), configuration.getMtu(), Integer.toUnsignedString(ssrc),
                segmentation ? ", UDP segmentation offload" : "",
                configuration.getPacing() > 0 ? ", pacing " + configuration.getPacing() : "",
                configuration.isRtcp() ? ", RTCP to port " + (configuration.getPort() + 1) : "");
    }

    @Override
    protected void doStop() throws Exception {
        if (producerHealthChecks != null) {
            producerHealthChecks.removeHealthCheck(healthCheck);
            producerHealthChecks = null;
        }
        if (channel != null) {
            RtpStreamSender stopping = sender;
            channel.eventLoop().submit(() -> stopping.end(configuration.isRtcp())).syncUninterruptibly();
            channel.close().syncUninterruptibly();
            channel = null;
            LOG.info("Stopped sending to {}: {} frames, {} packets, {} bytes, {} rejected, {} dropped, {} send errors",
                    destination, getFramesSent(), getPacketsSent(), getBytesSent(), getFramesRejected(),
                    getFramesDropped(), getSendErrors());
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Channel current = channel;
        if (current == null || !isRunAllowed()) {
            exchange.setException(new RejectedExecutionException("rtp-mjpeg producer to " + destination + " is not started"));
            callback.done(true);
            return true;
        }
        Rfc2435Frame frame;
        try {
            frame = frames.frame(exchange);
        } catch (Rfc2435Exception e) {
            framesRejected.increment();
            exchange.setException(e);
            callback.done(true);
            return true;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (!current.isWritable()) {
            // The kernel is not taking packets as fast as frames come: drop whole frames, never queue without bound.
            framesDropped.increment();
            LOG.debug("Dropped a frame to {}: the socket's send queue is full", destination);
            callback.done(true);
            return true;
        }
        if (frame.jpeg().exceedsHeaderDimensions() && configuration.getSdpFile() != null) {
            announceDimensions(frame.jpeg().width(), frame.jpeg().height());
        }
        long ticks = RtpClock.ticks(frames.presentationNanos(exchange));
        int timestamp = timestampBase + (int) ticks;
        RtpStreamSender target = sender;
        if (sendsFromCaller || current.eventLoop().inEventLoop() && configuration.getPacing() == 0) {
            // Sent now, on this thread: the frame's packets reach the kernel before the exchange completes, with no
            // thread to wake. Otherwise (paced, or no segmentation offload), only when already on the socket's
            // thread, as the next destination of a multicast or recipient list is once the previous one completed, so
            // N destinations cost one hand-off.
            target.sendOwn(frame, ticks, timestamp, null);
            callback.done(true);
            return true;
        }
        current.eventLoop().execute(() -> target.sendOwn(frame, ticks, timestamp, callback));
        return false;
    }

    /**
     * Rewrites the SDP file with a=x-dimensions when a frame is larger than the 2040 pixels the RFC 2435 header holds
     * (it then says 0), before the frame's packets go out, so that a player opening the file knows the size.
     */
    private synchronized void announceDimensions(int width, int height) {
        if (width == sdpWidth && height == sdpHeight) {
            return;
        }
        try {
            writeSdp(Path.of(configuration.getSdpFile()), width, height);
            sdpWidth = width;
            sdpHeight = height;
        } catch (IOException e) {
            LOG.warn("Could not announce the frame size {}x{} in {}: {}", width, height, configuration.getSdpFile(),
                    e.toString());
        }
    }

    private void writeSdp(Path file, int width, int height) throws IOException {
        String sdp = SessionDescription.forStream(destination.getAddress(), destination.getPort(),
                configuration.getPayloadType(), Integer.toUnsignedLong(ssrc), configuration.getTtl(), width, height,
                srtpKey == null ? null : srtpKey.sdpCryptoAttribute());
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        // Written beside and moved, so that a player never opens half a file.
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(partial);
        if (srtpKey != null && absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // The key is in it: created readable by its owner only, before a byte is written.
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(partial, sdp, StandardCharsets.US_ASCII);
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Wrote SDP for {} to {}", destination, absolute);
    }

    @ManagedAttribute(description = "Frames sent per second over the last second")
    public double getCurrentFps() {
        return sender == null ? 0 : sender.framesPerSecond();
    }

    @ManagedAttribute(description = "RTP payload bytes of the last frame sent")
    public int getLastFrameSize() {
        return sender == null ? 0 : sender.lastFrameSize();
    }

    @ManagedAttribute(description = "Frames sent")
    public long getFramesSent() {
        return sender == null ? 0 : sender.framesSent();
    }

    @ManagedAttribute(description = "RTP packets sent")
    public long getPacketsSent() {
        return sender == null ? 0 : sender.packetsSent();
    }

    @ManagedAttribute(description = "Bytes of RTP packets sent (UDP payloads)")
    public long getBytesSent() {
        return sender == null ? 0 : sender.bytesSent();
    }

    @ManagedAttribute(description = "RTCP sender reports sent")
    public long getReportsSent() {
        return sender == null ? 0 : sender.reportsSent();
    }

    @ManagedAttribute(description = "Bodies that were not JPEG frames RFC 2435 can carry")
    public long getFramesRejected() {
        return framesRejected.sum();
    }

    @ManagedAttribute(description = "Frames dropped because the socket's send queue was full")
    public long getFramesDropped() {
        return framesDropped.sum();
    }

    @ManagedAttribute(description = "Datagrams the kernel refused")
    public long getSendErrors() {
        return sendErrors.count();
    }

    @ManagedAttribute(description = "SSRC of this producer's stream")
    public long getSsrc() {
        return Integer.toUnsignedLong(ssrc);
    }
}
