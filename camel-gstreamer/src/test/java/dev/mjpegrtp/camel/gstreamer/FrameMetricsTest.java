package dev.mjpegrtp.camel.gstreamer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The counts and rates a gstreamer consumer reports, fed with frame times of the test's choosing. */
class FrameMetricsTest {

    private static final long START = 1_000_000_000_000L;
    private static final long FRAME_40_MS = 40_000_000L;

    @Test
    void frameRateIsMeasuredOverTheLast30Intervals() {
        FrameMetrics metrics = new FrameMetrics();
        // 12.5 fps first, then 25 fps: only the last frames count.
        for (int i = 0; i < 40; i++) {
            metrics.frameEmitted(START + i * 2 * FRAME_40_MS);
        }
        long base = START + 40 * 2 * FRAME_40_MS;
        long now = base;
        for (int i = 0; i < 40; i++) {
            now = base + i * FRAME_40_MS;
            metrics.frameEmitted(now);
        }
        assertThat(metrics.currentFps(now)).isCloseTo(25.0, within(0.01));
    }

    @Test
    void frameRateIsZeroBeforeTwoFramesAndTwoSecondsAfterTheLast() {
        FrameMetrics metrics = new FrameMetrics();
        assertThat(metrics.currentFps(START)).isZero();
        metrics.frameEmitted(START);
        assertThat(metrics.currentFps(START)).as("one frame").isZero();
        metrics.frameEmitted(START + FRAME_40_MS);
        assertThat(metrics.currentFps(START + FRAME_40_MS)).isCloseTo(25.0, within(0.01));
        assertThat(metrics.currentFps(START + FRAME_40_MS + 2_000_000_001L)).as("stalled").isZero();
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
