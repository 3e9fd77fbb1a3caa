package dev.mjpegrtp.camel.rtpmjpeg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.rtp.mjpeg.SessionDescription;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's JPEG frame as one run of RTP/JPEG packets from an unconnected UDP socket (a connected one
 * would fail writes with PortUnreachable while no receiver listens yet).
 *
 * <p>A frame is written on the channel's event loop in one task: every packet goes into a pooled direct buffer, the
 * only copy of the JPEG bytes, and one flush hands the burst to the kernel (sendmmsg with epoll). Sequence numbers and
 * timestamps are this producer's own, so several producers may send the same frame.
 */
public class RtpMjpegProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMjpegProducer.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RtpMjpegConfiguration configuration;
    private final JpegParser parser = new JpegParser();
    private final SecureRandom random = new SecureRandom();

    private final LongAdder framesSent = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder framesRejected = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final SendErrorCounter sendErrors = new SendErrorCounter();

    private Channel channel;
    private InetSocketAddress destination;
    private int ssrc;
    private int timestampBase;
    private long startNanos;
    /** Touched only on the channel's event loop. */
    private int sequenceNumber;

    public RtpMjpegProducer(RtpMjpegEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public RtpMjpegEndpoint getEndpoint() {
        return (RtpMjpegEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Resolved once here: an unresolved recipient on every write costs a lookup and has broken epoll writes.
        destination = new InetSocketAddress(InetAddress.getByName(configuration.getHost()), configuration.getPort());
        ssrc = random.nextInt();
        sequenceNumber = random.nextInt() & 0xFFFF;
        timestampBase = random.nextInt();
        startNanos = System.nanoTime();
        channel = new Bootstrap()
                .group(getEndpoint().eventLoopGroup())
                .channel(NettyTransport.datagramChannelClass())
                .option(ChannelOption.SO_SNDBUF, configuration.getSendBufferSize())
                .option(ChannelOption.IP_MULTICAST_TTL, configuration.getTtl())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(configuration.getSendBufferSize(), 2 * configuration.getSendBufferSize()))
                .handler(sendErrors)
                .bind(0)
                .syncUninterruptibly()
                .channel();
        if (configuration.getSdpFile() != null) {
            writeSdp(Path.of(configuration.getSdpFile()));
        }
        LOG.info("Sending RTP/JPEG to {} (payload type {}, mtu {}, SSRC {})", destination, configuration.getPayloadType(),
                configuration.getMtu(), Integer.toUnsignedString(ssrc));
    }

    @Override
    protected void doStop() throws Exception {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        LOG.info("Stopped sending to {}: {} frames, {} packets, {} bytes, {} rejected, {} dropped, {} send errors",
                destination, getFramesSent(), getPacketsSent(), getBytesSent(), getFramesRejected(), getFramesDropped(),
                getSendErrors());
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
            frame = toFrame(exchange);
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
        int timestamp = rtpTimestamp(exchange);
        current.eventLoop().execute(() -> {
            send(current, frame, timestamp);
            callback.done(false);
        });
        return false;
    }

    private Rfc2435Frame toFrame(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (body instanceof Rfc2435Frame frame) {
            return frame;
        }
        byte[] jpeg = exchange.getIn().getMandatoryBody(byte[].class);
        return new Rfc2435Frame(parser.parse(jpeg), configuration.getMtu());
    }

    /** 90 kHz ticks from the capture time in the PTS header when there is one, else from the arrival time. */
    private int rtpTimestamp(Exchange exchange) {
        Long pts = exchange.getIn().getHeader(configuration.getPtsHeader(), Long.class);
        long nanos = pts != null && pts >= 0 ? pts : System.nanoTime() - startNanos;
        long ticks = nanos / NANOS_PER_SECOND * RtpHeader.CLOCK_RATE
                + nanos % NANOS_PER_SECOND * RtpHeader.CLOCK_RATE / NANOS_PER_SECOND;
        return timestampBase + (int) ticks;
    }

    private void send(Channel out, Rfc2435Frame frame, int timestamp) {
        int packets = frame.packetCount();
        long bytes = 0;
        for (int i = 0; i < packets; i++) {
            int length = RtpHeader.LENGTH + frame.payloadLength(i);
            ByteBuf buffer = out.alloc().directBuffer(length);
            ByteBuffer nio = buffer.internalNioBuffer(0, length);
            RtpHeader.write(nio, configuration.getPayloadType(), i == packets - 1, sequenceNumber, timestamp, ssrc);
            frame.writePayload(i, nio);
            buffer.writerIndex(length);
            sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
            out.write(new DatagramPacket(buffer, destination), out.voidPromise());
            bytes += length;
        }
        out.flush();
        framesSent.increment();
        packetsSent.add(packets);
        bytesSent.add(bytes);
    }

    private void writeSdp(Path file) throws IOException {
        String sdp = SessionDescription.forStream(destination.getAddress(), destination.getPort(),
                configuration.getPayloadType(), Integer.toUnsignedLong(ssrc), configuration.getTtl());
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        // Written beside and moved, so that a player never opens half a file.
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(partial, sdp, StandardCharsets.US_ASCII);
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Wrote SDP for {} to {}", destination, absolute);
    }

    public long getFramesSent() {
        return framesSent.sum();
    }

    public long getPacketsSent() {
        return packetsSent.sum();
    }

    public long getBytesSent() {
        return bytesSent.sum();
    }

    /** Bodies that were not JPEG frames RFC 2435 can carry. */
    public long getFramesRejected() {
        return framesRejected.sum();
    }

    /** Frames dropped because the socket's send queue was full. */
    public long getFramesDropped() {
        return framesDropped.sum();
    }

    /** Datagrams the kernel refused (for example ICMP port unreachable reports). */
    public long getSendErrors() {
        return sendErrors.count();
    }

    /** The SSRC of this producer's stream. */
    public long getSsrc() {
        return Integer.toUnsignedLong(ssrc);
    }
}
