package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/** The RTP/JPEG media clock (90 kHz, RFC 2435 §3) against the nanoseconds Java measures time in. */
public final class RtpClock {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RtpClock() {
    }

    /** 90 kHz ticks in {@code nanos}, rounded down; whole seconds apart so that no product overflows for centuries. */
    public static long ticks(long nanos) {
        return nanos / NANOS_PER_SECOND * RtpHeader.CLOCK_RATE + nanos % NANOS_PER_SECOND * RtpHeader.CLOCK_RATE / NANOS_PER_SECOND;
    }
}
