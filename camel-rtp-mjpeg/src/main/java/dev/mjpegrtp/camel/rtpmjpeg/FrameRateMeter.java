package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.function.LongSupplier;

/**
 * Frames per second over the last whole second, and the size of the last frame, for JMX. One thread (an event loop)
 * counts; any thread reads. A stream that stopped reads 0 fps two seconds after its last frame.
 */
final class FrameRateMeter {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private long windowStart;
    private int framesInWindow;
    private volatile double lastRate;
    private volatile long lastFrameNanos;
    private volatile int lastFrameSize;

    FrameRateMeter() {
        this(System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds */
    FrameRateMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    void frame(int size) {
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

    double framesPerSecond() {
        return nanoTime.getAsLong() - lastFrameNanos > 2 * SECOND_NANOS ? 0 : lastRate;
    }

    int lastFrameSize() {
        return lastFrameSize;
    }
}
