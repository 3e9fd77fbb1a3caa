package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a gstreamer consumer counts and times, for JMX and the health check. Frames are recorded by the one pull
 * thread, which is what lets the ring of arrival times, the drop estimate and the duration rings go without locks;
 * any thread reads. The counts run on across stops and starts of the consumer.
 */
final class FrameMetrics {

    /** Frames the current frame rate is measured over: 30 intervals. */
    private static final int RECENT_FRAMES = 31;
    private static final long FPS_STALE_NANOS = 2_000_000_000L;

    private final LongAdder framesEmitted = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder frameArraysAllocated = new LongAdder();
    private final LongAdder framesKeptByRoute = new LongAdder();
    /** From a frame's pull to the route being done with it (for rtp-mjpeg: its last packet in the kernel). */
    private final RecentDurations routeTimes = new RecentDurations();
    /** From a frame's capture (base time + PTS on the pipeline clock) to the route being done with it. */
    private final RecentDurations captureLatencies = new RecentDurations();
    /** Arrival times of the last frames, a ring written by the pull thread, for the current frame rate. */
    private final long[] recentFrames = new long[RECENT_FRAMES];
    private volatile int recentCount;
    private volatile long lastFrameNanos = System.nanoTime();
    /** Written by the pull thread only. */
    private volatile long framesDropped;
    private long sequence;
    private long lastPts = -1;

    /** A pipeline just started counts as delivering, for the stall the health check measures. */
    void started(long nowNanos) {
        lastFrameNanos = nowNanos;
    }

    /** Counts a frame handed to the route at {@code nowNanos}; returns its sequence number, from 0. */
    long frameEmitted(long nowNanos) {
        long number = sequence++;
        framesEmitted.increment();
        lastFrameNanos = nowNanos;
        recentFrames[(int) (number % RECENT_FRAMES)] = nowNanos; // the first frames fill the slots currentFps reads
        recentCount = (int) Math.min(RECENT_FRAMES, recentCount + 1L);
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

    /** Frames per second over the last 30 frames; 0 two seconds after the last frame, or before two frames. */
    double currentFps(long nowNanos) {
        int count = recentCount;
        long newest = lastFrameNanos;
        if (count < 2 || nowNanos - newest > FPS_STALE_NANOS) {
            return 0;
        }
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            oldest = Math.min(oldest, recentFrames[i]);
        }
        return newest > oldest ? (count - 1) * 1e9 / (newest - oldest) : 0;
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
