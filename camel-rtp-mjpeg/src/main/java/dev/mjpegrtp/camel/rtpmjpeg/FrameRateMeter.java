package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.function.LongSupplier;

/**
 * Frames per second over the last whole second, and the size of the last frame, for JMX: the frames of the last window
 * of one second or more that a frame closed, over its length. One thread at a time counts (an event loop, or callers
 * holding a lock); any thread reads. A stream that stopped reads 0 fps two seconds after its last frame.
 */
public final class FrameRateMeter {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private long windowStart;
    private int framesInWindow;
    private volatile double lastRate;
    private volatile long lastFrameNanos;
    private volatile int lastFrameSize;

    public FrameRateMeter() {
        this(System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds */
    FrameRateMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    public void frame(int size) {
        long now = nanoTime.getAsLong();
        framesInWindow++; // frames after the window's start, up to and with this one: one per interval
        long elapsed = now - windowStart;
        if (elapsed >= SECOND_NANOS) {
            lastRate = framesInWindow * (double) SECOND_NANOS / elapsed;
            windowStart = now;
            framesInWindow = 0;
        }
        lastFrameNanos = now;
        lastFrameSize = size;
    }

    public double framesPerSecond() {
        return nanoTime.getAsLong() - lastFrameNanos > 2 * SECOND_NANOS ? 0 : lastRate;
    }

    public int lastFrameSize() {
        return lastFrameSize;
    }
}
