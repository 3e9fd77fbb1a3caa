package dev.mjpegrtp.camel.gstreamer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a failed pipeline is restarted: at once after frames, then doubling up to the cap, and never past maxRestarts. */
class RestartBackoffTest {

    @Test
    void restartsAtOnceThenDoublesUpToTheLongestDelay() {
        RestartBackoff backoff = new RestartBackoff(-1, 5_000);
        long[] delays = new long[7];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.nextDelayMillis();
        }
        assertThat(delays).containsExactly(0, 1000, 2000, 4000, 5000, 5000, 5000);
    }

    @Test
    void neverGivesUpWithoutMaxRestarts() {
        RestartBackoff backoff = new RestartBackoff(-1, 30_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(backoff.nextDelayMillis()).as("failure %d", i).isBetween(0L, 30_000L);
        }
    }

    @Test
    void givesUpAfterMaxRestartsFailuresInARow() {
        RestartBackoff backoff = new RestartBackoff(3, 30_000);
        assertThat(backoff.nextDelayMillis()).isZero();
        assertThat(backoff.nextDelayMillis()).isEqualTo(1000);
        assertThat(backoff.nextDelayMillis()).isEqualTo(2000);
        assertThat(backoff.nextDelayMillis()).isEqualTo(RestartBackoff.GIVE_UP);
        assertThat(backoff.nextDelayMillis()).as("and stays given up").isEqualTo(RestartBackoff.GIVE_UP);
    }

    @Test
    void zeroMaxRestartsGivesUpOnTheFirstFailure() {
        assertThat(new RestartBackoff(0, 30_000).nextDelayMillis()).isEqualTo(RestartBackoff.GIVE_UP);
    }

    @Test
    void aFrameStartsTheCountAgain() {
        RestartBackoff backoff = new RestartBackoff(2, 30_000);
        backoff.nextDelayMillis();
        backoff.nextDelayMillis();
        assertThat(backoff.hasFailures()).isTrue();
        backoff.frameFlowed();
        assertThat(backoff.hasFailures()).isFalse();
        assertThat(backoff.nextDelayMillis()).as("at once again, not given up").isZero();
        assertThat(backoff.nextDelayMillis()).isEqualTo(1000);
    }
}
