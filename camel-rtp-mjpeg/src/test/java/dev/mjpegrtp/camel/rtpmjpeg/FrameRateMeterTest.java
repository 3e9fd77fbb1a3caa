package dev.mjpegrtp.camel.rtpmjpeg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The JMX frame rate on a clock the test moves: whole-second windows, and 0 once a stream has stopped. */
class FrameRateMeterTest {

    private long now = 5_000_000_000L;
    private final FrameRateMeter meter = new FrameRateMeter(() -> now);

    @Test
    void ratesOfTheLastWholeSecond() {
        assertThat(meter.framesPerSecond()).as("before a whole second").isZero();
        frames(61, 33_333_333L, 1000); // 30 fps for two seconds
        assertThat(meter.framesPerSecond()).isCloseTo(30.0, within(0.1));
        frames(31, 66_666_667L, 2000); // then 15 fps
        assertThat(meter.framesPerSecond()).isCloseTo(15.0, within(0.1));
        assertThat(meter.lastFrameSize()).isEqualTo(2000);
    }

    @Test
    void aStoppedStreamReadsZeroAfterTwoSeconds() {
        frames(61, 33_333_333L, 1000);
        now += 1_900_000_000L;
        assertThat(meter.framesPerSecond()).as("a pause shorter than two seconds").isCloseTo(30.0, within(0.1));
        now += 1_000_000_000L;
        assertThat(meter.framesPerSecond()).isZero();
    }

    private void frames(int count, long intervalNanos, int size) {
        for (int i = 0; i < count; i++) {
            now += intervalNanos;
            meter.frame(size);
        }
    }
}
