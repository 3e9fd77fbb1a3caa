package dev.mjpegrtp.camel.gstreamer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The counts and rates a gstreamer consumer reports, fed with frame times of the test's choosing. */
class FrameMetricsTest {

    private static final long START = 1_000_000_000_000L;
    private static final long FRAME_40_MS = 40_000_000L;

    @Test
    void frameRateIsTheFramesOfTheLastWholeSecond() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.started(START);
        long now = START;
        for (int i = 0; i < 24; i++) { // 12.5 fps for 1.92 s: the window is not a whole second yet
            now += 2 * FRAME_40_MS;
            metrics.frameEmitted(now);
            if (now - START < 1_000_000_000L) {
                assertThat(metrics.currentFps(now)).as("before the first whole second").isZero();
            }
        }
        assertThat(metrics.currentFps(now)).isCloseTo(12.5, within(0.01));
        now = frames(metrics, now, 50, FRAME_40_MS); // then 25 fps for two seconds: only the last second counts
        assertThat(metrics.currentFps(now)).isCloseTo(25.0, within(0.01));
    }

    @Test
    void frameRateIsZeroTwoSecondsAfterTheLastFrame() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.started(START);
        long now = frames(metrics, START, 25, FRAME_40_MS);
        assertThat(metrics.currentFps(now + 1_900_000_000L)).as("a pause shorter than two seconds")
                .isCloseTo(25.0, within(0.01));
        assertThat(metrics.currentFps(now + 2_000_000_001L)).as("stalled").isZero();
    }

    @Test
    void aRestartMeasuresTheRateAfresh() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.started(START);
        long restart = frames(metrics, START, 25, FRAME_40_MS) + 10_000_000_000L;
        metrics.started(restart); // stopped for ten seconds, started again
        assertThat(metrics.currentFps(restart)).as("before the first whole second of the new run").isZero();
        long now = frames(metrics, restart, 10, 100_000_000L); // 10 fps
        assertThat(metrics.currentFps(now)).isCloseTo(10.0, within(0.01));
    }

    /** Emits {@code count} frames {@code intervalNanos} apart after {@code from}; returns the last one's time. */
    private static long frames(FrameMetrics metrics, long from, int count, long intervalNanos) {
        long now = from;
        for (int i = 0; i < count; i++) {
            now += intervalNanos;
            metrics.frameEmitted(now);
        }
        return now;
    }

    @Test
    void sequenceNumbersCountFromZeroAndRunOn() {
        FrameMetrics metrics = new FrameMetrics();
        assertThat(metrics.frameEmitted(START)).isZero();
        assertThat(metrics.frameEmitted(START + 1)).isEqualTo(1);
        metrics.started(START + 2); // a stop and start of the consumer
        assertThat(metrics.frameEmitted(START + 3)).isEqualTo(2);
        assertThat(metrics.framesEmitted()).isEqualTo(3);
    }

    @Test
    void gapsInPresentationTimesCountAsDroppedFrames() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.presentationTime(0, FRAME_40_MS);
        metrics.presentationTime(FRAME_40_MS, FRAME_40_MS);
        assertThat(metrics.framesDropped()).isZero();
        metrics.presentationTime(4 * FRAME_40_MS, FRAME_40_MS); // frames 2 and 3 went
        assertThat(metrics.framesDropped()).isEqualTo(2);
        metrics.presentationTime(5 * FRAME_40_MS + 3_000_000, FRAME_40_MS); // jitter is no drop
        assertThat(metrics.framesDropped()).isEqualTo(2);
    }

    @Test
    void aTimelineResetIsNoGap() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.presentationTime(100 * FRAME_40_MS, FRAME_40_MS);
        metrics.timelineReset(); // restart: running time from zero
        metrics.presentationTime(0, FRAME_40_MS);
        metrics.presentationTime(50 * FRAME_40_MS, 0); // no duration: nothing to measure the gap in
        assertThat(metrics.framesDropped()).isZero();
    }

    @Test
    void millisSinceTheLastFrameStartWithTheStart() {
        FrameMetrics metrics = new FrameMetrics();
        metrics.started(START);
        assertThat(metrics.millisSinceLastFrame(START + 1_500_000_000L)).isEqualTo(1500);
        metrics.frameEmitted(START + 1_000_000_000L);
        assertThat(metrics.millisSinceLastFrame(START + 1_500_000_000L)).isEqualTo(500);
    }
}
