package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import org.apache.camel.AsyncCallback;

/**
 * One destination's RTP stream, the send core of every producer: its SSRC and sequence numbers, the RTP header of each
 * packet, the writes to its {@link RtpSink} (a frame's packets flushed together, which the epoll transport turns into
 * one sendmmsg or, for a TCP connection, one writev), optional pacing, counters, and RTCP: sender reports with the
 * CNAME, and BYE at the end.
 *
 * <p>Frames come {@link PacketizedFrame packetized}. The headers of a frame held for this destination alone go into
 * the room it leaves for them, and its packets out as slices of its buffer; those of a shared frame go into a buffer
 * of this stream's own, each sent beside the frame's shared body.
 *
 * <p>An SRTP stream ({@link SrtpSender}) protects each packet in place once its header is written, in the room for
 * the authentication tag its frames leave after each body, and each RTCP compound before it goes; it sends frames
 * for this destination alone, since what it sends is its own ciphertext.
 *
 * <p>Packets are written on the sink's event loop: {@link #send} is called there, except for an unpaced stream to a
 * sink whose packets go down from the caller ({@link DirectDatagramWriter}), which the thread that has the frame
 * calls. The state is guarded by this object's lock, because an owner may drive the stream from another thread too (an RTSP
 * connection plays and ends a UDP viewer); the counters are read from any thread. Once {@link #end ended} a stream
 * sends no more frames.
 */
public final class RtpStreamSender {

    /** Pacing granularity: packets go out in batches at most this often. */
    private static final long PACING_TICK_NANOS = 1_000_000L;
    /** The frame interval assumed until two frames have been seen (30 fps). */
    private static final long DEFAULT_FRAME_INTERVAL_NANOS = 33_333_333L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RtpSink sink;
    private final int payloadType;
    private final int ssrc;
    private final byte[] cname;
    private final double pacing;
    /** Protects this stream's packets; null for plain RTP. */
    private final SrtpSender srtp;

    private final LongAdder framesSent = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    /** Payload octets, as RTCP counts them. */
    private final LongAdder payloadOctetsSent = new LongAdder();
    private final LongAdder reportsSent = new LongAdder();
    private final FrameRateMeter frameRate = new FrameRateMeter();

    private int sequenceNumber;
    private int lastTimestamp;
    private long lastSentNanos;
    private long lastTicks = -1;
    private long frameIntervalNanos = DEFAULT_FRAME_INTERVAL_NANOS;
    private PacedFrame paced;
    private ScheduledFuture<?> reports;
    private boolean ended;

    /**
     * @param pacing the share of the frame interval over which a frame's packets are spread; 0 sends each frame at once
     */
    public RtpStreamSender(RtpSink sink, int payloadType, int ssrc, int firstSequenceNumber, String cname,
                           double pacing) {
        this(sink, payloadType, ssrc, firstSequenceNumber, cname, pacing, null);
    }

    /**
     * @param pacing the share of the frame interval over which a frame's packets are spread; 0 sends each frame at once
     * @param srtp   protects every RTP and RTCP packet of the stream; null sends plain RTP
     */
    public RtpStreamSender(RtpSink sink, int payloadType, int ssrc, int firstSequenceNumber, String cname,
                           double pacing, SrtpSender srtp) {
        this.srtp = srtp;
        this.sink = sink;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.sequenceNumber = firstSequenceNumber;
        this.cname = Rtcp.cname(cname);
        this.pacing = pacing;
    }

    /** Sends RTCP sender reports every {@code period} from {@code initialDelay} on, until {@link #end}; once. */
    public synchronized void startReports(long initialDelay, long period, TimeUnit unit) {
        if (reports == null && !ended) {
            reports = sink.eventLoop().scheduleAtFixedRate(this::sendReport, initialDelay, period, unit);
        }
    }

    /**
     * Sends a frame's packets with RTP timestamp {@code timestamp} and completes {@code done} once its last packet is
     * written. A frame still being paced out when the next one comes is finished at once, so frames never overlap on
     * the wire. The caller's reference to the frame stays the caller's. Call on the sink's event loop (see above).
     *
     * @param done completed ({@code done(false)}: asynchronously) once the frame is written, or at once after the
     *             end; null for nothing
     */
    public synchronized void send(PacketizedFrame frame, int timestamp, AsyncCallback done) {
        if (ended) {
            // An ended stream's socket may be closed, its descriptor another file's by now.
            if (done != null) {
                done.done(false);
            }
            return;
        }
        if (frame.holdsHeaders() && frame.framingLength() != sink.framingLength()) {
            throw new IllegalArgumentException("a frame with room for " + frame.framingLength()
                    + " bytes of framing sent to " + sink.describe());
        }
        if (frame.trailerLength() != trailerLength()) {
            throw new IllegalArgumentException("a frame with room for a " + frame.trailerLength()
                    + "-byte trailer sent by a stream whose packets end in " + trailerLength() + " bytes");
        }
        learnFrameInterval(frame.ticks());
        if (paced != null) {
            paced.finish();
        }
        int packets = frame.packetCount();
        long spread = (long) (pacing * frameIntervalNanos);
        int batches = (int) Math.min(packets, spread / PACING_TICK_NANOS);
        if (batches <= 1) {
            write(frame, timestamp, 0, packets);
            frameSent(frame, timestamp, done);
            return;
        }
        paced = new PacedFrame(frame.retain(), timestamp, (packets + batches - 1) / batches, spread / batches, done);
        paced.next();
    }

    /**
     * Sends a frame that only this destination sends: packetized here into a buffer of the sink's allocator, with
     * room for the headers. Call on the sink's event loop (see above).
     *
     * @param ticks the frame's presentation time on a 90 kHz clock
     * @param done  completed ({@code done(false)}: asynchronously) once the frame is written; null for nothing
     */
    public void sendOwn(Rfc2435Frame frame, long ticks, int timestamp, AsyncCallback done) {
        PacketizedFrame packets = PacketizedFrame.forOneDestination(frame, ticks, sink, trailerLength());
        try {
            send(packets, timestamp, done);
        } finally {
            packets.release();
        }
    }

    /** Bytes this stream's packets carry after their payload: SRTP's authentication tag, or none. */
    private int trailerLength() {
        return srtp == null ? 0 : SrtpSender.RTP_OVERHEAD;
    }

    private void learnFrameInterval(long ticks) {
        long interval = ticks - lastTicks;
        if (lastTicks >= 0 && interval > 0 && interval < RtpHeader.CLOCK_RATE) {
            // A moving average absorbs jitter in arrival or capture times.
            frameIntervalNanos += (interval * NANOS_PER_SECOND / RtpHeader.CLOCK_RATE - frameIntervalNanos) / 4;
        }
        lastTicks = ticks;
    }

    /** Writes packets [from, to) of a frame, each behind an RTP header of this stream, and flushes them together. */
    private void write(PacketizedFrame frame, int timestamp, int from, int to) {
        int stride = sink.framingLength() + RtpHeader.LENGTH;
        ByteBuf headers = null;
        ByteBuffer ownHeaders = null;
        if (!frame.holdsHeaders()) {
            headers = sink.alloc().directBuffer((to - from) * stride);
            headers.writerIndex((to - from) * stride);
            ownHeaders = headers.internalNioBuffer(0, (to - from) * stride);
        }
        int base = ownHeaders == null ? 0 : ownHeaders.position();
        int last = frame.packetCount() - 1;
        long bytes = 0;
        long payloadOctets = 0;
        for (int i = from; i < to; i++) {
            ByteBuffer header = ownHeaders == null ? frame.headerSpace(i)
                    : ownHeaders.position(base + (i - from) * stride + sink.framingLength());
            RtpHeader.write(header, payloadType, i == last, sequenceNumber, timestamp, ssrc, frame.headerExtension(i));
            if (srtp != null) {
                ByteBuffer packet = frame.packet(i); // a frame of this destination's: see send
                srtp.protectRtp(packet, packet.position(), frame.packetLength(i) - SrtpSender.RTP_OVERHEAD);
            }
            sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
            bytes += sink.framingLength() + frame.packetLength(i);
            payloadOctets += frame.payloadLength(i);
        }
        sink.writePackets(frame, from, to, headers);
        sink.flush();
        packetsSent.add(to - from);
        bytesSent.add(bytes);
        payloadOctetsSent.add(payloadOctets);
    }

    private void frameSent(PacketizedFrame frame, int timestamp, AsyncCallback done) {
        framesSent.increment();
        frameRate.frame(frame.payloadBytes());
        lastTimestamp = timestamp;
        lastSentNanos = System.nanoTime();
        if (done != null) {
            done.done(false);
        }
    }

    /** A sender report plus CNAME, the RTP timestamp extrapolated from the last frame to now (RFC 3550 §6.4.1). */
    private synchronized void sendReport() {
        if (ended || framesSent.sum() == 0) {
            return; // nothing to map yet
        }
        int now = lastTimestamp + (int) RtpClock.ticks(System.nanoTime() - lastSentNanos);
        ByteBuf report = sink.alloc().directBuffer(Rtcp.SENDER_REPORT_LENGTH + Rtcp.sourceDescriptionLength(cname)
                + rtcpTrailerLength());
        Rtcp.writeSenderReport(report, ssrc, Rtcp.ntpTimestamp(Instant.now()), now, packetsSent.sum(),
                payloadOctetsSent.sum());
        Rtcp.writeSourceDescription(report, ssrc, cname);
        protectRtcp(report);
        if (sink.writeRtcp(report)) {
            reportsSent.increment();
        }
    }

    /**
     * Ends the stream for good: finishes a frame being paced, stops reports and, with {@code sayBye} once something
     * was sent, says BYE, so that receivers stop waiting at once. Call on the sink's event loop when pacing.
     */
    public synchronized void end(boolean sayBye) {
        if (ended) {
            return;
        }
        ended = true;
        if (paced != null) {
            paced.finish();
        }
        if (reports != null) {
            reports.cancel(false);
            reports = null;
        }
        if (sayBye && framesSent.sum() > 0) {
            // A sender's compound packet starts with a sender report (RFC 3550 6.1): the final counts, which tell a
            // receiver how many packets it should have had, then the CNAME, then BYE.
            ByteBuf bye = sink.alloc().buffer(Rtcp.SENDER_REPORT_LENGTH + Rtcp.sourceDescriptionLength(cname)
                    + Rtcp.BYE_LENGTH + rtcpTrailerLength());
            int now = lastTimestamp + (int) RtpClock.ticks(System.nanoTime() - lastSentNanos);
            Rtcp.writeSenderReport(bye, ssrc, Rtcp.ntpTimestamp(Instant.now()), now, packetsSent.sum(),
                    payloadOctetsSent.sum());
            Rtcp.writeSourceDescription(bye, ssrc, cname);
            Rtcp.writeBye(bye, ssrc);
            protectRtcp(bye);
            if (sink.eventLoop().inEventLoop()) {
                sink.writeRtcp(bye);
                return;
            }
            try {
                sink.eventLoop().execute(() -> sink.writeRtcp(bye));
            } catch (RejectedExecutionException e) {
                bye.release(); // the event loop is shutting down; its sockets close without a word
            }
        }
    }

    /** Bytes SRTCP adds to a compound packet, or none. */
    private int rtcpTrailerLength() {
        return srtp == null ? 0 : SrtpSender.RTCP_OVERHEAD;
    }

    /** Turns an RTCP compound packet, with {@link #rtcpTrailerLength} bytes of room after it, into SRTCP. */
    private void protectRtcp(ByteBuf compound) {
        if (srtp != null) {
            int length = compound.readableBytes();
            ByteBuffer view = compound.internalNioBuffer(compound.readerIndex(), length + SrtpSender.RTCP_OVERHEAD);
            compound.writerIndex(compound.readerIndex() + srtp.protectRtcp(view, view.position(), length));
        }
    }

    public RtpSink sink() {
        return sink;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The sequence number the next packet gets. */
    public synchronized int nextSequenceNumber() {
        return sequenceNumber;
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long packetsSent() {
        return packetsSent.sum();
    }

    /** Bytes of packets sent, transport framing included. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    public long reportsSent() {
        return reportsSent.sum();
    }

    /** Frames sent per second over the last whole second. */
    public double framesPerSecond() {
        return frameRate.framesPerSecond();
    }

    /** RFC 2435 payload bytes of the last frame sent. */
    public int lastFrameSize() {
        return frameRate.lastFrameSize();
    }

    /** A frame whose packets go out in batches spread over part of the frame interval; holds a reference to it. */
    private final class PacedFrame {
        private final PacketizedFrame frame;
        private final int timestamp;
        private final int packetsPerBatch;
        private final long batchIntervalNanos;
        private final AsyncCallback done;
        private int nextPacket;
        private ScheduledFuture<?> pending;

        PacedFrame(PacketizedFrame frame, int timestamp, int packetsPerBatch, long batchIntervalNanos, AsyncCallback done) {
            this.frame = frame;
            this.timestamp = timestamp;
            this.packetsPerBatch = packetsPerBatch;
            this.batchIntervalNanos = batchIntervalNanos;
            this.done = done;
        }

        void next() {
            synchronized (RtpStreamSender.this) {
                if (paced != this) {
                    return; // finished meanwhile by the next frame or the end
                }
                pending = null;
                int to = Math.min(frame.packetCount(), nextPacket + packetsPerBatch);
                write(frame, timestamp, nextPacket, to);
                nextPacket = to;
                if (nextPacket == frame.packetCount()) {
                    complete();
                } else {
                    pending = sink.eventLoop().schedule(this::next, batchIntervalNanos, TimeUnit.NANOSECONDS);
                }
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
            try {
                frameSent(frame, timestamp, done);
            } finally {
                frame.release();
            }
        }
    }
}
