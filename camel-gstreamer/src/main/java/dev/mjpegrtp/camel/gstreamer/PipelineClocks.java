package dev.mjpegrtp.camel.gstreamer;

import java.util.function.ToLongBiFunction;

import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.Pipeline;

/**
 * Reads a pipeline's clock. Pipelines share GStreamer's one system clock, and gst1-java-core one Java wrapper for it:
 * a thread disposing the wrapper while another reads through it fails that read ("Native object has been disposed"),
 * which cost a consumer its frame when two pipelines started together. So clocks are read and disposed under one lock.
 */
final class PipelineClocks {

    private static final Object LOCK = new Object();

    private PipelineClocks() {
    }

    /** What {@code reading} returns for the pipeline's clock, or {@code withoutClock} while it has none. */
    static long read(Pipeline pipeline, ToLongBiFunction<Clock, Pipeline> reading, long withoutClock) {
        synchronized (LOCK) {
            Clock clock = pipeline.getClock();
            if (clock == null) {
                return withoutClock;
            }
            try {
                return reading.applyAsLong(clock, pipeline);
            } finally {
                clock.dispose();
            }
        }
    }
}
