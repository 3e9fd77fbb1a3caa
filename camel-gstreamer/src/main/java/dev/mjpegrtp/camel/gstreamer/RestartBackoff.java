package dev.mjpegrtp.camel.gstreamer;

/**
 * When to restart a pipeline that failed: at once after a run that delivered frames, then after 1 s, 2 s, 4 s ... up
 * to maxRestartDelay, and never again after maxRestarts failures in a row without a frame in between. Not thread-safe:
 * its owner guards it.
 */
final class RestartBackoff {

    /** What {@link #nextDelayMillis} returns when the failures in a row used up maxRestarts. */
    static final long GIVE_UP = -1;
    private static final long FIRST_RETRY_DELAY_MILLIS = 1000;

    private final int maxRestarts;
    private final long maxDelayMillis;
    private int failuresInRow;

    /** {@code maxRestarts} below 0: restart for ever. */
    RestartBackoff(int maxRestarts, long maxDelayMillis) {
        this.maxRestarts = maxRestarts;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Counts one more failure and returns how long to wait before the restart, or {@link #GIVE_UP}. */
    long nextDelayMillis() {
        if (maxRestarts >= 0 && failuresInRow >= maxRestarts) {
            return GIVE_UP;
        }
        long delay = failuresInRow == 0 ? 0
                : Math.min(maxDelayMillis, FIRST_RETRY_DELAY_MILLIS << Math.min(failuresInRow - 1, 20));
        failuresInRow++;
        return delay;
    }

    /** A frame came through: the next failure restarts at once again. */
    void frameFlowed() {
        failuresInRow = 0;
    }

    boolean hasFailures() {
        return failuresInRow != 0;
    }
}
