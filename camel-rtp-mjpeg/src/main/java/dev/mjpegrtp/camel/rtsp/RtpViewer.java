package dev.mjpegrtp.camel.rtsp;

import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.camel.rtpmjpeg.PacketizedFrame;
import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.camel.rtpmjpeg.RtpSink;
import dev.mjpegrtp.camel.rtpmjpeg.RtpStreamSender;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/**
 * One viewer: its RTP stream (an {@link RtpStreamSender} of its own SSRC, sequence numbers and timestamps, to its
 * sink) and a bounded queue of whole frames that the sink's event loop drains.
 *
 * <p>The route's thread only {@link #offer offers} frames: when the queue is full the frame is dropped and counted,
 * so a viewer that falls behind costs neither the route nor the other viewers a thing. Frames leave the queue whole,
 * so a viewer that starts or resumes playing starts at a frame boundary, and its sequence numbers and timestamps run
 * on without a gap across the frames it is sent.
 *
 * <p>The viewer's state is guarded by this object's lock: the sink's event loop sends, the RTSP connection's event
 * loop plays and pauses, and for UDP viewers those are different threads.
 */
final class RtpViewer {

    /** RTCP sender reports every 5 s, the minimum interval of RFC 3550 §6.2. */
    static final long REPORT_INTERVAL_SECONDS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RtpSink sink;
    private final RtpStreamSender stream;
    private final ArrayBlockingQueue<PacketizedFrame> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder framesDropped = new LongAdder();

    private boolean playing;
    private boolean ended;
    /** Set at PLAY: the timestamp the next frame sent gets, which RTP-Info announced. */
    private boolean anchorPending;
    private int anchorTimestamp;
    /** RTP timestamp = ticks + offset (mod 2^32); fixed by the first frame after each PLAY. */
    private long timestampOffset;
    private long lastTicksSent;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile Rtcp.ReportBlock lastReport;

    RtpViewer(RtpSink sink, int maxQueuedFrames, String cname) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(maxQueuedFrames);
        int ssrc;
        do {
            ssrc = RANDOM.nextInt();
        } while (ssrc == 0);
        this.stream = new RtpStreamSender(sink, RtpHeader.PAYLOAD_TYPE_JPEG, ssrc, RANDOM.nextInt() & 0xFFFF, cname, 0);
        this.anchorTimestamp = RANDOM.nextInt();
    }

    int ssrc() {
        return stream.ssrc();
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
        if (stream.framesSent() > 0) {
            // Resuming: the timestamps go on from where the clock stands now, never back.
            anchorTimestamp = (int) (Math.max(streamTicks, lastTicksSent + 1) + timestampOffset);
        }
        anchorPending = true;
        playing = !ended;
        lastProgressNanos = System.nanoTime();
        if (playing) {
            stream.startReports(1, REPORT_INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
        return new RtpInfo(stream.nextSequenceNumber(), Integer.toUnsignedLong(anchorTimestamp));
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
        stream.end(sayBye);
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
                    } else {
                        framesDropped.increment();
                    }
                } finally {
                    frame.release();
                }
            }
        }
    }

    private void send(PacketizedFrame frame) {
        if (anchorPending) {
            timestampOffset = Integer.toUnsignedLong(anchorTimestamp) - frame.ticks();
            anchorPending = false;
        }
        stream.send(frame, (int) (frame.ticks() + timestampOffset), null);
        lastTicksSent = frame.ticks();
        lastProgressNanos = System.nanoTime();
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
        return stream.framesSent();
    }

    long framesDropped() {
        return framesDropped.sum();
    }

    long bytesSent() {
        return stream.bytesSent();
    }

    /** The viewer's last reception report, null before the first. */
    Rtcp.ReportBlock lastReport() {
        return lastReport;
    }

    /** The sequence number and RTP timestamp of the first packet after a PLAY (RFC 2326 §12.33). */
    record RtpInfo(int sequenceNumber, long rtpTimestamp) {
    }
}
