package dev.mjpegrtp.srtp;

/**
 * The replay list of one SRTP stream (RFC 3711 §3.3.2) as a sliding window of the last 64 packet indices: an index
 * above the highest seen is new; one within 64 below it is new unless its bit is set; one further below is refused
 * as too old to tell. Two longs, whatever a peer sends.
 */
final class ReplayWindow {

    static final int SIZE = 64;

    private long highest = -1;
    /** Bit i set: index highest - i was accepted. */
    private long seen;

    /** Whether a packet with {@code index} may be accepted: neither seen nor older than the window. */
    boolean isNew(long index) {
        if (index > highest) {
            return true;
        }
        long behind = highest - index;
        return behind < SIZE && (seen >>> behind & 1) == 0;
    }

    /** Records an authenticated packet's index, which {@link #isNew} said was new. */
    void accept(long index) {
        if (index > highest) {
            long ahead = index - highest;
            seen = highest < 0 || ahead >= SIZE ? 1 : seen << ahead | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }

    /** Forgets every index, for a new stream. */
    void reset() {
        highest = -1;
        seen = 0;
    }

    /** The highest index accepted, -1 before the first. */
    long highest() {
        return highest;
    }
}
