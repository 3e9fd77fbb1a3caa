package dev.mjpegrtp.camel.rtsp;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.camel.rtpmjpeg.RtpClock;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One viewer's RTP stream: its own SSRC, sequence numbers and timestamps, and a bounded queue of whole frames that
 * its sink's event loop drains.
 *
 * <p>The route's thread only {@link #offer offers} frames: when the queue is full the frame is dropped and counted,
 * so a viewer that falls behind costs neither the route nor the other viewers a thing. Frames leave the queue whole,
 * so a viewer that starts or resumes playing starts at a frame boundary, and its sequence numbers and timestamps run
 * on without a gap across the frames it is sent.
 *
 * <p>The RTP state is guarded by this object's lock: the sink's event loop sends, the RTSP connection's event loop
 * plays and pauses, and for UDP viewers those are different threads.
 */
final class RtpViewer {

    /** RTCP sender reports every 5 s, the minimum interval of RFC 3550 §6.2. */
    static final long REPORT_INTERVAL_SECONDS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RtpSink sink;
    private final int ssrc;
    private final byte[] cname;
    private final ArrayBlockingQueue<PacketizedFrame> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();

    private int sequenceNumber;
    private boolean playing;
    private boolean ended;
    /** Set at PLAY: the timestamp the next frame sent gets, which RTP-Info announced. */
    private boolean anchorPending;
    private int anchorTimestamp;
    /** RTP timestamp = ticks + offset (mod 2^32); fixed by the first frame after each PLAY. */
    private long timestampOffset;
    private long packetsSent;
    private long payloadOctetsSent;
    private int lastTimestamp;
    private long lastTicksSent;
    private long lastSentNanos;
    private ScheduledFuture<?> reports;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile Rtcp.ReportBlock lastReport;

    RtpViewer(RtpSink sink, int maxQueuedFrames, String cname) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(maxQueuedFrames);
        this.cname = Rtcp.cname(cname);
        int random;
        do {
            random = RANDOM.nextInt();
        } while (random == 0);
        this.ssrc = random;
        this.sequenceNumber = RANDOM.nextInt() & 0xFFFF;
        this.anchorTimestamp = RANDOM.nextInt();
    }

    int ssrc() {
        return ssrc;
    }

    RtpSink sink() {
        return sink;
    }

    /**
     * Starts or resumes sending with the next frame offered, and says which sequence number and timestamp that frame
     * will carry (RTP-Info).
     *
     * @param streamTicks the stream's clock now, so that a resumed stream's timestamps show the pause
     */
    synchronized RtpInfo play(long streamTicks) {
        clearQueue();
        if (packetsSent > 0) {
            // Resuming: the timestamps go on from where the clock stands now, never back.
            anchorTimestamp = (int) (Math.max(streamTicks, lastTicksSent + 1) + timestampOffset);
        }
        anchorPending = true;
        playing = !ended;
        lastProgressNanos = System.nanoTime();
        if (playing && reports == null) {
            reports = sink.eventLoop().scheduleAtFixedRate(this::sendReport, 1, REPORT_INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
        return new RtpInfo(sequenceNumber, Integer.toUnsignedLong(anchorTimestamp));
    }

    synchronized void pause() {
        playing = false;
        clearQueue();
    }

    /** Stops for good; with {@code sayBye} the viewer gets an RTCP BYE, so that players stop waiting at once. */
    synchronized void end(boolean sayBye) {
        if (ended) {
            return;
        }
        ended = true;
        playing = false;
        clearQueue();
        if (reports != null) {
            reports.cancel(false);
            reports = null;
        }
        if (sayBye && packetsSent > 0) {
            // A compound packet starts with a report: an empty receiver report, then the CNAME, then BYE.
            ByteBuf bye = sink.alloc().buffer(Rtcp.RECEIVER_REPORT_LENGTH + Rtcp.sourceDescriptionLength(cname)
                    + Rtcp.BYE_LENGTH);
            Rtcp.writeReceiverReport(bye, ssrc);
            Rtcp.writeSourceDescription(bye, ssrc, cname);
            Rtcp.writeBye(bye, ssrc);
            try {
                sink.eventLoop().execute(() -> sink.writeRtcp(bye));
            } catch (RejectedExecutionException e) {
                bye.release(); // the server is shutting down; its sockets close without a word
            }
        }
    }

    /** Called on the route's thread: queues the frame, or drops it when this viewer is too far behind. */
    void offer(PacketizedFrame frame) {
        if (!queue.offer(frame.retain())) {
            frame.release();
            framesDropped.increment();
            return;
        }
        scheduleDrain();
    }

    void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                sink.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down with the server; nothing will be sent any more.
                drainScheduled.set(false);
                synchronized (this) {
                    clearQueue();
                }
            }
        }
    }

    /** Runs on the sink's event loop: sends queued frames while the socket takes them. */
    private void drain() {
        drainScheduled.set(false);
        synchronized (this) {
            boolean wrote = false;
            PacketizedFrame frame;
            while ((frame = queue.peek()) != null) {
                if (!playing) {
                    clearQueue();
                    break;
                }
                boolean writable = sink.isWritable();
                if (!writable && !sink.dropsWhenFull()) {
                    break; // resumed by the connection's writability event; disconnected if it never comes
                }
                queue.poll();
                try {
                    if (writable) {
                        send(frame);
                        wrote = true;
                    } else {
                        framesDropped.increment();
                    }
                } finally {
                    frame.release();
                }
            }
            if (wrote) {
                sink.flush();
            }
        }
    }

    private void send(PacketizedFrame frame) {
        if (anchorPending) {
            timestampOffset = Integer.toUnsignedLong(anchorTimestamp) - frame.ticks();
            anchorPending = false;
        }
        int timestamp = (int) (frame.ticks() + timestampOffset);
        int packets = frame.packetCount();
        int stride = sink.headerRoom() + RtpHeader.LENGTH;
        ByteBuf headers = sink.alloc().directBuffer(packets * stride);
        try {
            ByteBuffer target = headers.internalNioBuffer(0, packets * stride);
            int base = target.position(); // a pooled buffer's view starts where the buffer lies in its chunk
            for (int i = 0; i < packets; i++) {
                target.position(base + i * stride + sink.headerRoom());
                RtpHeader.write(target, RtpHeader.PAYLOAD_TYPE_JPEG, i == packets - 1, sequenceNumber, timestamp, ssrc,
                        frame.headerExtension(i));
                sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
            }
            headers.writerIndex(packets * stride);
            for (int i = 0; i < packets; i++) {
                sink.writePacket(headers.retainedSlice(i * stride, stride), frame.retainedBody(i));
            }
        } finally {
            headers.release();
        }
        packetsSent += packets;
        payloadOctetsSent += frame.payloadBytes();
        lastTimestamp = timestamp;
        lastTicksSent = frame.ticks();
        lastSentNanos = System.nanoTime();
        lastProgressNanos = lastSentNanos;
        framesSent.increment();
        bytesSent.add((long) packets * stride + frame.bodyBytes());
    }

    /** An RTCP sender report: where this stream's RTP clock stands against the wall clock, and what was sent. */
    private synchronized void sendReport() {
        if (ended || packetsSent == 0) {
            return;
        }
        long sinceLastFrame = System.nanoTime() - lastSentNanos;
        int now = lastTimestamp + (int) RtpClock.ticks(sinceLastFrame);
        ByteBuf report = sink.alloc().buffer(Rtcp.SENDER_REPORT_LENGTH + Rtcp.sourceDescriptionLength(cname));
        Rtcp.writeSenderReport(report, ssrc, Rtcp.ntpTimestamp(Instant.now()), now, packetsSent, payloadOctetsSent);
        Rtcp.writeSourceDescription(report, ssrc, cname);
        sink.writeRtcp(report);
    }

    private void clearQueue() {
        PacketizedFrame frame;
        while ((frame = queue.poll()) != null) {
            frame.release();
        }
    }

    /** Whether frames have waited longer than {@code timeoutNanos} without one being sent. */
    boolean stalled(long nowNanos, long timeoutNanos) {
        return !queue.isEmpty() && nowNanos - lastProgressNanos > timeoutNanos;
    }

    void reportReceived(Rtcp.ReportBlock report) {
        lastReport = report;
    }

    long framesSent() {
        return framesSent.sum();
    }

    long framesDropped() {
        return framesDropped.sum();
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    /** The viewer's last reception report, null before the first. */
    Rtcp.ReportBlock lastReport() {
        return lastReport;
    }

    /** The sequence number and RTP timestamp of the first packet after a PLAY (RFC 2326 §12.33). */
    record RtpInfo(int sequenceNumber, long rtpTimestamp) {
    }
}
