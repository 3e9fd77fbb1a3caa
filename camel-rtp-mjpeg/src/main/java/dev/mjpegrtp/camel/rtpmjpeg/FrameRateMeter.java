package dev.mjpegrtp.camel.rtpmjpeg;

/**
 * Frames per second over the last whole second, and the size of the last frame, for JMX. One thread (an event loop)
 * counts; any thread reads. A stream that stopped reads 0 fps after two seconds.
 */
final class FrameRateMeter {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private long windowStart = System.nanoTime();
    private int framesInWindow;
    private volatile double lastRate;
    private volatile long lastWindowEnd;
    private volatile int lastFrameSize;

    void frame(int size) {
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed >= SECOND_NANOS) {
            lastRate = framesInWindow * (double) SECOND_NANOS / elapsed;
            lastWindowEnd = now;
            windowStart = now;
            framesInWindow = 0;
        }
        framesInWindow++;
        lastFrameSize = size;
    }

    double framesPerSecond() {
        return System.nanoTime() - lastWindowEnd > 2 * SECOND_NANOS ? 0 : lastRate;
    }

    int lastFrameSize() {
        return lastFrameSize;
    }
}
