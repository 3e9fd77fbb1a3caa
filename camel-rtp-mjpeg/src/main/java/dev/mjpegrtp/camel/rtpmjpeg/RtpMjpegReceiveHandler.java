package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.mjpegrtp.rtp.mjpeg.MalformedRtpJpegPacketException;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.srtp.SrtpReceiver;
import dev.mjpegrtp.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns datagrams into frames for one bound socket: drops those from senders allowedSenders does not name, checks the
 * RTP header, locks onto the first SSRC it hears together with the address (IP and port) it comes from, and feeds the
 * payloads to the depacketizer, which puts each frame together by timestamp and fragment offset, whatever order its
 * packets arrive in (so no sequence number, true or forged, can push a good packet out).
 *
 * <p>A packet of the locked SSRC from another address is someone else's (a spoofed SSRC is one guess away from a
 * sniffed one) and is rejected like another SSRC. Once the stream has been silent for sourceTimeout, a successor takes
 * over (a restarted camera, a cluster's new leader, both sending from a new port and often under a new SSRC): after two
 * of its packets in sequence (RFC 3550 A.1), and only from the locked IP address, unless allowedSenders names the
 * addresses trusted to send, when any of them may succeed. A configured SSRC is never succeeded by another.
 *
 * <p>With srtpKey, a datagram from an allowed sender is authenticated and checked against the replay window before
 * anything else reads it ({@link SrtpReceiver}), and decrypted in place: one whose tag does not match, or a replay, is
 * dropped and counted, and changes no state.
 *
 * <p>Stateful, so one instance per channel; it runs only on that channel's event loop. No datagram is kept: the
 * depacketizer copies what it takes.
 */
final class RtpMjpegReceiveHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMjpegReceiveHandler.class);
    private final int payloadType;
    private final Rfc2435Depacketizer depacketizer;
    private final Consumer<ReceivedFrame> frames;
    private final RtpHeader header = new RtpHeader();
    /** Checks and decrypts SRTP; null for plain RTP. */
    private final SrtpReceiver srtp;

    private final AddressFilter allowedSenders;
    /** The last sender allowedSenders was asked about, and its answer: a stream comes from one address. */
    private InetAddress checkedSender;
    private boolean checkedSenderAllowed;
    /** The SSRC configured to receive, or null to lock onto the first and follow a successor once it falls silent. */
    private final Long configuredSsrc;
    private final long sourceTimeoutNanos;
    private boolean locked;
    private int ssrc;
    private InetSocketAddress source;
    private long lastPacketNanos;
    private int candidateSsrc;
    private InetSocketAddress candidateSource;
    private int candidateNextSequence = -1;
    private final RateLimitedLog failures;
    private volatile long packetsRejected;
    private volatile long srtpAuthenticationFailures;
    private volatile long srtpReplaysRejected;
    private volatile long framesCompleted;
    private volatile long framesIncomplete;

    RtpMjpegReceiveHandler(RtpMjpegConfiguration configuration, Consumer<ReceivedFrame> frames,
                           RateLimitedLog failures) {
        this.payloadType = configuration.getPayloadType();
        this.depacketizer = new Rfc2435Depacketizer(configuration.getMaxFrameSize(), configuration.getMaxWidth(),
                configuration.getMaxHeight(), configuration.declaredWidth(), configuration.declaredHeight());
        this.frames = frames;
        this.failures = failures;
        this.allowedSenders = AddressFilter.parse("allowedSenders", configuration.getAllowedSenders());
        this.configuredSsrc = configuration.getSsrc();
        this.sourceTimeoutNanos = configuration.getSourceTimeout() * 1_000_000L;
        SrtpMasterKey key = configuration.srtpMasterKey();
        this.srtp = key == null ? null : new SrtpReceiver(key);
        if (configuredSsrc != null) {
            ssrc = configuredSsrc.intValue();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        InetSocketAddress sender = datagram.sender();
        if (!allowed(sender.getAddress())) {
            reject("sender not in allowedSenders");
            return;
        }
        if (srtp != null && !unprotect(datagram.content())) {
            return;
        }
        try {
            header.read(view(datagram));
        } catch (MalformedRtpJpegPacketException e) {
            reject(e.getMessage());
            return;
        }
        if (header.payloadType() != payloadType) {
            reject("payload type " + header.payloadType());
            return;
        }
        long now = System.nanoTime();
        if (!locked) {
            if (configuredSsrc != null && header.ssrc() != ssrc) {
                reject("foreign SSRC " + Integer.toUnsignedString(header.ssrc()));
                return;
            }
            locked = true;
            ssrc = header.ssrc();
            source = sender;
            LOG.info("Receiving SSRC {} from {}", Integer.toUnsignedString(ssrc), sender);
        } else if (header.ssrc() != ssrc || !sender.equals(source)) {
            if (!succeeds(sender, now)) {
                reject(header.ssrc() != ssrc ? "foreign SSRC " + Integer.toUnsignedString(header.ssrc())
                        : "SSRC of the stream from another address");
                return;
            }
            LOG.info("Receiving SSRC {} from {} instead of SSRC {} from {}, silent for {} ms",
                    Integer.toUnsignedString(header.ssrc()), sender, Integer.toUnsignedString(ssrc), source,
                    (now - lastPacketNanos) / 1_000_000);
            depacketizer.newStream();
            ssrc = header.ssrc();
            source = sender;
        }
        lastPacketNanos = now;
        deliver(datagram);
    }

    /**
     * Authenticates and decrypts an SRTP datagram in place, leaving the RTP packet, without its tag, readable; counts
     * and drops one that fails.
     */
    private boolean unprotect(ByteBuf content) {
        if (content.nioBufferCount() != 1) {
            reject("SRTP datagram in several buffers");
            return false;
        }
        ByteBuffer packet = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
        switch (srtp.unprotectRtp(packet, packet.position(), content.readableBytes())) {
            case AUTHENTIC -> {
                content.writerIndex(content.writerIndex() - SrtpSender.RTP_OVERHEAD);
                return true;
            }
            case REPLAYED -> {
                srtpReplaysRejected++;
                reject("SRTP replay");
            }
            case FORGED -> {
                srtpAuthenticationFailures++;
                reject("SRTP authentication tag does not match");
            }
            case MALFORMED -> {
                srtpAuthenticationFailures++;
                reject("too short for SRTP");
            }
        }
        return false;
    }

    private boolean allowed(InetAddress sender) {
        if (!sender.equals(checkedSender)) {
            checkedSender = sender;
            checkedSenderAllowed = allowedSenders.allows(sender);
        }
        return checkedSenderAllowed;
    }

    /**
     * Whether the packet in {@link #header}, of another SSRC or source address than the stream's, comes from a
     * successor: the stream is silent, the SSRC is the configured one if one is, the sender may succeed (the same IP
     * address, or any when allowedSenders names the trusted ones) and this is its second packet in sequence.
     */
    private boolean succeeds(InetSocketAddress sender, long now) {
        boolean eligible = now - lastPacketNanos >= sourceTimeoutNanos
                && (configuredSsrc == null || header.ssrc() == ssrc)
                && (allowedSenders.isRestricted() || sender.getAddress().equals(source.getAddress()));
        return eligible && successorValidated(sender);
    }

    /**
     * Whether the packet in {@link #header} is the second in sequence from its SSRC and address: RFC 3550 A.1
     * validates a new source after MIN_SEQUENTIAL (2) consecutive packets, so that a lone stray or forged packet is
     * never followed.
     */
    private boolean successorValidated(InetSocketAddress sender) {
        boolean consecutive = candidateSsrc == header.ssrc() && sender.equals(candidateSource)
                && candidateNextSequence == header.sequenceNumber();
        candidateSsrc = header.ssrc();
        candidateSource = sender;
        candidateNextSequence = (header.sequenceNumber() + 1) & 0xFFFF;
        return consecutive;
    }

    /** A packet of the stream, whose header {@link #header} holds: on to the depacketizer. */
    private void deliver(DatagramPacket datagram) {
        try {
            byte[] jpeg = depacketizer.push(view(datagram), header);
            if (jpeg != null) {
                framesCompleted = depacketizer.framesCompleted();
                frames.accept(new ReceivedFrame(jpeg, depacketizer.timestamp(), ssrc, depacketizer.width(),
                        depacketizer.height(), datagram.sender(), depacketizer.framesIncomplete(),
                        depacketizer.concealedIntervals(), depacketizer.firstSequenceNumber(),
                        depacketizer.lastSequenceNumber()));
            }
        } catch (MalformedRtpJpegPacketException e) {
            reject(e.getMessage());
        } finally {
            framesIncomplete = depacketizer.framesIncomplete();
        }
    }

    private static ByteBuffer view(DatagramPacket datagram) {
        ByteBuf content = datagram.content();
        return content.nioBufferCount() == 1
                ? content.internalNioBuffer(content.readerIndex(), content.readableBytes())
                : content.nioBuffer();
    }

    /**
     * Whatever a datagram's handling throws past the checks above (an out-of-memory reading or reassembling it) costs
     * that packet only: counted, logged at a bounded rate, and the channel reads on.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        packetsRejected++;
        failures.failure("A received packet failed; the next one goes on", cause);
    }

    private void reject(String reason) {
        packetsRejected++;
        LOG.debug("Rejected a packet: {}", reason);
    }

    long packetsRejected() {
        return packetsRejected;
    }

    long srtpAuthenticationFailures() {
        return srtpAuthenticationFailures;
    }

    long srtpReplaysRejected() {
        return srtpReplaysRejected;
    }

    long framesCompleted() {
        return framesCompleted;
    }

    long framesIncomplete() {
        return framesIncomplete;
    }
}
