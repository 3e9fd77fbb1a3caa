package dev.mjpegrtp.camel.gstreamer;

import java.util.Arrays;

/**
 * The last {@value #SIZE} durations of some step per frame, for percentiles read through JMX. Recording writes one
 * slot of a ring and allocates nothing, from the one thread that records; reading, which is rare, sorts a copy.
 */
final class RecentDurations {

    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private volatile long recorded;

    /** From the recording thread only. */
    void record(long durationNanos) {
        long count = recorded;
        nanos[(int) (count % SIZE)] = durationNanos;
        recorded = count + 1; // the volatile write publishes the slot
    }

    /** The {@code percentile} (0 to 100) of the recent durations in microseconds (nearest rank), -1 before any. */
    long percentileMicros(double percentile) {
        int count = (int) Math.min(SIZE, recorded);
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1000;
    }
}
