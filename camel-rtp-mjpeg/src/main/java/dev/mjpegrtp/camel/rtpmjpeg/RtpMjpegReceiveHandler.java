package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.mjpegrtp.rtp.mjpeg.MalformedRtpJpegPacketException;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns datagrams into frames for one bound socket: checks the RTP header, locks onto the first SSRC it hears, and
 * feeds the payloads to the depacketizer, which puts each frame together by timestamp and fragment offset, whatever
 * order its packets arrive in (so no sequence number, true or forged, can push a good packet out).
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

    /** The SSRC configured to receive, or null to lock onto the first and follow a successor once it falls silent. */
    private final Long configuredSsrc;
    private final long sourceTimeoutNanos;
    private boolean locked;
    private int ssrc;
    private long lastPacketNanos;
    private int candidateSsrc;
    private int candidateNextSequence = -1;
    private volatile long packetsRejected;
    private volatile long framesCompleted;
    private volatile long framesIncomplete;

    RtpMjpegReceiveHandler(RtpMjpegConfiguration configuration, Consumer<ReceivedFrame> frames) {
        this.payloadType = configuration.getPayloadType();
        this.depacketizer = new Rfc2435Depacketizer(configuration.getMaxFrameSize(), configuration.getMaxWidth(),
                configuration.getMaxHeight(), configuration.declaredWidth(), configuration.declaredHeight());
        this.frames = frames;
        this.configuredSsrc = configuration.getSsrc();
        this.sourceTimeoutNanos = configuration.getSourceTimeout() * 1_000_000L;
        if (configuredSsrc != null) {
            locked = true;
            ssrc = configuredSsrc.intValue();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
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
            locked = true;
            ssrc = header.ssrc();
            LOG.info("Receiving SSRC {} from {}", Integer.toUnsignedString(ssrc), datagram.sender());
        } else if (header.ssrc() != ssrc) {
            if (configuredSsrc != null || now - lastPacketNanos < sourceTimeoutNanos || !successorValidated()) {
                reject("foreign SSRC " + Integer.toUnsignedString(header.ssrc()));
                return;
            }
            // The source fell silent and another took over (a restarted camera, a cluster's new leader): follow it.
            LOG.info("Receiving SSRC {} from {} instead of SSRC {}, silent for {} ms", Integer.toUnsignedString(header.ssrc()),
                    datagram.sender(), Integer.toUnsignedString(ssrc), (now - lastPacketNanos) / 1_000_000);
            depacketizer.newStream();
            ssrc = header.ssrc();
        }
        lastPacketNanos = now;
        deliver(datagram);
    }

    /**
     * Whether the foreign packet in {@link #header} is the second in sequence from its SSRC: RFC 3550 A.1 validates a
     * new source after MIN_SEQUENTIAL (2) consecutive packets, so that a lone stray or forged packet is never followed.
     */
    private boolean successorValidated() {
        boolean consecutive = candidateSsrc == header.ssrc() && candidateNextSequence == header.sequenceNumber();
        candidateSsrc = header.ssrc();
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

    private void reject(String reason) {
        packetsRejected++;
        LOG.debug("Rejected a packet: {}", reason);
    }

    long packetsRejected() {
        return packetsRejected;
    }

    long framesCompleted() {
        return framesCompleted;
    }

    long framesIncomplete() {
        return framesIncomplete;
    }
}
