package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a gstreamer consumer counts and times, for JMX and the health check. Frames are recorded by the one pull
 * thread, which is what lets the frame rate window, the drop estimate and the duration rings go without locks;
 * any thread reads. The counts run on across stops and starts of the consumer.
 */
final class FrameMetrics {

    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long FPS_STALE_NANOS = 2 * SECOND_NANOS;

    private final LongAdder framesEmitted = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder frameArraysAllocated = new LongAdder();
    private final LongAdder framesKeptByRoute = new LongAdder();
    /** From a frame's pull to the route being done with it (for rtp-mjpeg: its last packet in the kernel). */
    private final RecentDurations routeTimes = new RecentDurations();
    /** From a frame's capture (base time + PTS on the pipeline clock) to the route being done with it. */
    private final RecentDurations captureLatencies = new RecentDurations();
    private volatile long lastFrameNanos = System.nanoTime();
    /** The frame rate window: written by the pull thread only. */
    private long windowStart = lastFrameNanos;
    private int framesInWindow;
    private volatile double lastWholeSecondRate;
    /** Written by the pull thread only. */
    private volatile long framesDropped;
    private long sequence;
    private long lastPts = -1;

    /**
     * A pipeline just started counts as delivering, for the stall the health check measures; its frame rate is
     * measured from now, and reads 0 until its first whole second. Called before the pull thread starts (and after
     * the previous one ended), so the window it resets is the pull thread's alone.
     */
    void started(long nowNanos) {
        lastFrameNanos = nowNanos;
        windowStart = nowNanos;
        framesInWindow = 0;
        lastWholeSecondRate = 0;
    }

    /** Counts a frame handed to the route at {@code nowNanos}; returns its sequence number, from 0. */
    long frameEmitted(long nowNanos) {
        long number = sequence++;
        framesEmitted.increment();
        lastFrameNanos = nowNanos;
        framesInWindow++; // frames after the window's start, up to and with this one: one per interval
        long elapsed = nowNanos - windowStart;
        if (elapsed >= SECOND_NANOS) {
            lastWholeSecondRate = framesInWindow * (double) SECOND_NANOS / elapsed;
            windowStart = nowNanos;
            framesInWindow = 0;
        }
        return number;
    }

    void frameFailed() {
        framesFailed.increment();
    }

    void frameArrayAllocated() {
        frameArraysAllocated.increment();
    }

    void frameKeptByRoute() {
        framesKeptByRoute.increment();
    }

    void restarted() {
        restarts.increment();
    }

    /** Running time starts again at zero (a restart or resume): the next PTS is compared with none. */
    void timelineReset() {
        lastPts = -1;
    }

    /**
     * The appsink drops the oldest buffer silently when the route falls behind; the gap it leaves in presentation
     * times, in frame durations, tells how many went.
     */
    void presentationTime(long pts, long duration) {
        if (lastPts >= 0 && duration > 0 && pts > lastPts) {
            long missing = Math.round((double) (pts - lastPts) / duration) - 1;
            if (missing > 0) {
                framesDropped += missing;
            }
        }
        lastPts = pts;
    }

    void routeTime(long nanos) {
        routeTimes.record(nanos);
    }

    void captureLatency(long nanos) {
        captureLatencies.record(nanos);
    }

    /**
     * Frames per second in the last whole second: the frames of the last window of a second or more that a frame
     * closed, over its length. 0 before the first whole second, and two seconds after the last frame.
     */
    double currentFps(long nowNanos) {
        return nowNanos - lastFrameNanos > FPS_STALE_NANOS ? 0 : lastWholeSecondRate;
    }

    /** Milliseconds since the last frame, or since the pipeline started when none came yet. */
    long millisSinceLastFrame(long nowNanos) {
        return (nowNanos - lastFrameNanos) / 1_000_000;
    }

    long framesEmitted() {
        return framesEmitted.sum();
    }

    long framesFailed() {
        return framesFailed.sum();
    }

    long framesDropped() {
        return framesDropped;
    }

    long frameArraysAllocated() {
        return frameArraysAllocated.sum();
    }

    long framesKeptByRoute() {
        return framesKeptByRoute.sum();
    }

    long restarts() {
        return restarts.sum();
    }

    RecentDurations routeTimes() {
        return routeTimes;
    }

    RecentDurations captureLatencies() {
        return captureLatencies;
    }
}
