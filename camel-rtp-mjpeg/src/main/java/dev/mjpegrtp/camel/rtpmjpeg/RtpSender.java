package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Puts one RTP stream on the wire: sequence numbers, SSRC, optional pacing, RTCP sender reports and BYE.
 *
 * <p>Everything here runs on the channel's event loop, so the stream state needs no locks. Each packet is written
 * straight into a pooled direct buffer (the only copy of the frame's bytes); a frame's packets are flushed together,
 * which the epoll transport turns into one sendmmsg call. Only the counters are read from other threads.
 */
final class RtpSender {

    /** Pacing granularity: packets go out in batches at most this often. */
    private static final long PACING_TICK_NANOS = 1_000_000L;
    /** The frame interval assumed until two frames have been seen (30 fps). */
    private static final long DEFAULT_FRAME_INTERVAL_NANOS = 33_333_333L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Channel channel;
    private final InetSocketAddress rtcpDestination;
    private final int payloadType;
    private final int ssrc;
    private final double pacing;
    private final DatagramRunWriter datagrams;
    private final byte[] cname;

    final LongAdder framesSent = new LongAdder();
    final LongAdder packetsSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    /** Payload octets, as RTCP counts them. */
    final LongAdder payloadOctetsSent = new LongAdder();
    final LongAdder reportsSent = new LongAdder();
    final FrameRateMeter frameRate = new FrameRateMeter();

    private int sequenceNumber;
    private boolean sentAny;
    private int lastTimestamp;
    private long lastSendNanos;
    private long lastPresentationNanos = -1;
    private long frameIntervalNanos = DEFAULT_FRAME_INTERVAL_NANOS;
    private PacedFrame paced;
    private ScheduledFuture<?> reports;

    RtpSender(Channel channel, InetSocketAddress rtpDestination, int payloadType, int ssrc, int firstSequenceNumber,
              double pacing, boolean segmentation, String cname) {
        this.channel = channel;
        this.rtcpDestination = new InetSocketAddress(rtpDestination.getAddress(), rtpDestination.getPort() + 1);
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.sequenceNumber = firstSequenceNumber;
        this.pacing = pacing;
        this.datagrams = new DatagramRunWriter(channel, rtpDestination, segmentation);
        this.cname = Rtcp.cname(cname);
    }

    /** Starts periodic sender reports; call on the event loop. */
    void startReports(long intervalMillis) {
        reports = channel.eventLoop().scheduleAtFixedRate(this::sendReport, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a frame and runs {@code done} once its last packet is written. A frame still being paced out when the next
     * one arrives is finished at once, so frames never overlap on the wire.
     *
     * @param presentationNanos the frame's capture time in any monotonic time base, for the pacing interval
     */
    void send(Rfc2435Frame frame, int timestamp, long presentationNanos, Runnable done) {
        learnFrameInterval(presentationNanos);
        if (paced != null) {
            paced.finish();
        }
        int packets = frame.packetCount();
        long spread = (long) (pacing * frameIntervalNanos);
        int batches = (int) Math.min(packets, spread / PACING_TICK_NANOS);
        if (batches <= 1) {
            write(frame, timestamp, 0, packets);
            frameSent(timestamp, frame.totalPayloadLength());
            done.run();
            return;
        }
        paced = new PacedFrame(frame, timestamp, (packets + batches - 1) / batches, spread / batches, done);
        paced.next();
    }

    private void learnFrameInterval(long presentationNanos) {
        long interval = presentationNanos - lastPresentationNanos;
        if (lastPresentationNanos >= 0 && interval > 0 && interval < NANOS_PER_SECOND) {
            // A moving average absorbs jitter in arrival or capture times.
            frameIntervalNanos += (interval - frameIntervalNanos) / 4;
        }
        lastPresentationNanos = presentationNanos;
    }

    /** Writes packets [from, to) of a frame and flushes them together. */
    private void write(Rfc2435Frame frame, int timestamp, int from, int to) {
        long bytes = 0;
        long payloadOctets = 0;
        for (int first = from; first < to; ) {
            int end = runEnd(frame, first, to);
            bytes += writeRun(frame, timestamp, first, end);
            first = end;
        }
        for (int i = from; i < to; i++) {
            payloadOctets += frame.payloadLength(i);
        }
        channel.flush();
        packetsSent.add(to - from);
        bytesSent.add(bytes);
        payloadOctetsSent.add(payloadOctets);
    }

    /**
     * The end (exclusive) of the run of packets from {@code first} that one datagram write carries: all the size of the
     * first packet except possibly a shorter last one, as a segmented send requires.
     */
    private int runEnd(Rfc2435Frame frame, int first, int to) {
        int segment = frame.packetLength(first);
        int maxEnd = first + datagrams.maxRunPackets(segment);
        int end = first + 1;
        while (end < to && end < maxEnd) {
            int next = frame.packetLength(end);
            if (next > segment) {
                break;
            }
            end++;
            if (next < segment) {
                break;
            }
        }
        return end;
    }

    /** Writes packets [first, end) into one buffer, sent as one datagram or segmented by the kernel; returns its bytes. */
    private int writeRun(Rfc2435Frame frame, int timestamp, int first, int end) {
        int last = frame.packetCount() - 1;
        int length = 0;
        for (int i = first; i < end; i++) {
            length += frame.packetLength(i);
        }
        ByteBuf buffer = channel.alloc().directBuffer(length);
        ByteBuffer nio = buffer.internalNioBuffer(0, length);
        for (int i = first; i < end; i++) {
            RtpHeader.write(nio, payloadType, i == last, sequenceNumber, timestamp, ssrc,
                    frame.headerExtensionLength(i) > 0);
            frame.writeHeaderExtension(i, nio);
            frame.writePayload(i, nio);
            sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
        }
        buffer.writerIndex(length);
        datagrams.write(buffer, end - first, frame.packetLength(first));
        return length;
    }

    private void frameSent(int timestamp, int payloadBytes) {
        framesSent.increment();
        frameRate.frame(payloadBytes);
        sentAny = true;
        lastTimestamp = timestamp;
        lastSendNanos = System.nanoTime();
    }

    /** A sender report plus CNAME, the RTP timestamp extrapolated from the last frame to now (RFC 3550 §6.4.1). */
    private void sendReport() {
        if (!sentAny) {
            return; // nothing to map yet
        }
        ByteBuf buffer = channel.alloc().directBuffer(reportLength());
        writeReport(buffer);
        channel.writeAndFlush(new DatagramPacket(buffer, rtcpDestination), channel.voidPromise());
        reportsSent.increment();
    }

    private int reportLength() {
        return Rtcp.SENDER_REPORT_LENGTH + Rtcp.sourceDescriptionLength(cname);
    }

    /** Writes SR + SDES. */
    private void writeReport(ByteBuf buffer) {
        int timestamp = lastTimestamp + (int) RtpClock.ticks(System.nanoTime() - lastSendNanos);
        Rtcp.writeSenderReport(buffer, ssrc, Rtcp.ntpTimestamp(Instant.now()), timestamp, packetsSent.sum(),
                payloadOctetsSent.sum());
        Rtcp.writeSourceDescription(buffer, ssrc, cname);
    }

    /**
     * Ends the stream: finishes a frame being paced, stops reports and, when RTCP is on, says BYE in a compound
     * packet that starts with a last sender report. Call on the event loop.
     */
    void stop(boolean bye) {
        if (paced != null) {
            paced.finish();
        }
        if (reports != null) {
            reports.cancel(false);
            reports = null;
        }
        if (bye && sentAny) {
            ByteBuf buffer = channel.alloc().directBuffer(reportLength() + Rtcp.BYE_LENGTH);
            writeReport(buffer);
            Rtcp.writeBye(buffer, ssrc);
            channel.writeAndFlush(new DatagramPacket(buffer, rtcpDestination));
        }
    }

    /** A frame whose packets go out in batches spread over part of the frame interval. */
    private final class PacedFrame {
        private final Rfc2435Frame frame;
        private final int timestamp;
        private final int packetsPerBatch;
        private final long batchIntervalNanos;
        private final Runnable done;
        private int nextPacket;
        private ScheduledFuture<?> pending;

        PacedFrame(Rfc2435Frame frame, int timestamp, int packetsPerBatch, long batchIntervalNanos, Runnable done) {
            this.frame = frame;
            this.timestamp = timestamp;
            this.packetsPerBatch = packetsPerBatch;
            this.batchIntervalNanos = batchIntervalNanos;
            this.done = done;
        }

        void next() {
            pending = null;
            int to = Math.min(frame.packetCount(), nextPacket + packetsPerBatch);
            write(frame, timestamp, nextPacket, to);
            nextPacket = to;
            if (nextPacket == frame.packetCount()) {
                complete();
            } else {
                pending = channel.eventLoop().schedule(this::next, batchIntervalNanos, TimeUnit.NANOSECONDS);
            }
        }

        void finish() {
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
            if (nextPacket < frame.packetCount()) {
                write(frame, timestamp, nextPacket, frame.packetCount());
                nextPacket = frame.packetCount();
                complete();
            }
        }

        private void complete() {
            paced = null;
            frameSent(timestamp, frame.totalPayloadLength());
            done.run();
        }
    }
}
