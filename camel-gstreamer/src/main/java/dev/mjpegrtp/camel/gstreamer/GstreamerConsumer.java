package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.ExecutorService;

import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.URISupport;
import org.freedesktop.gstreamer.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the endpoint's pipeline with an appsink at its end and emits one exchange per sample. Each start makes a
 * {@link PipelineSupervisor}, which builds the pipeline and plays, suspends, restarts and stops it, and a
 * {@link FramePuller} on a thread of its own, which pulls the frames and runs the route, so a slow route only makes
 * the appsink drop its oldest buffer; {@link FrameMetrics} counts across starts.
 *
 * <p>Suspending the route pauses the pipeline (PAUSED; a source that refuses to pause, such as some rtspsrc servers,
 * is stopped instead) and resuming plays it again. Stopping sends end-of-stream and waits up to eosTimeout for it to
 * reach the sinks, so that muxers in other branches of the pipeline finish their files, before the pipeline goes to
 * NULL.
 */
@ManagedResource(description = "GStreamer appsink consumer")
public class GstreamerConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(GstreamerConsumer.class);

    private final GstreamerEndpoint endpoint;
    private final FrameMetrics metrics = new FrameMetrics();
    /** The current run, or the last one once stopped (for its error and state); null before the first start. */
    private volatile PipelineSupervisor supervisor;
    private ExecutorService frameExecutor;

    public GstreamerConsumer(GstreamerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    public GstreamerEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getHealthCheck() == null) {
            // Here, not in the constructor: the route id, its name, is set between the two.
            setHealthCheck(new PipelineHealthCheck(this, endpoint.getEndpointUri()));
        }
        GstreamerRuntime.initialize();
        String name = pipelineName();
        PipelineSupervisor run = new PipelineSupervisor(endpoint, name, this, getExceptionHandler(), metrics);
        supervisor = run;
        run.start();
        frameExecutor = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "gstreamer-" + name);
        frameExecutor.execute(new FramePuller(this, run, metrics));
        LOG.info("Started pipeline {}: {} ! appsink", name, URISupport.sanitizeUri(endpoint.getPipeline()));
    }

    @Override
    protected void doStop() throws Exception {
        PipelineSupervisor run = supervisor;
        if (run != null) {
            run.stop(); // ends the pull in progress
        }
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        if (frameExecutor != null) {
            executors.shutdownGraceful(frameExecutor);
            frameExecutor = null;
        }
        if (run != null) {
            run.release();
        }
        LOG.info("Stopped pipeline {} after {} frames and {} restarts", pipelineName(), metrics.framesEmitted(),
                metrics.restarts());
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        PipelineSupervisor run = supervisor;
        if (run != null) {
            run.suspend();
        }
        LOG.debug("Suspended pipeline {}", pipelineName()); // Camel suspends before every stop, too
    }

    @Override
    protected void doResume() throws Exception {
        PipelineSupervisor run = supervisor;
        if (run != null) {
            run.resume();
        }
        LOG.debug("Resumed pipeline {}", pipelineName());
    }

    /**
     * The pipeline's name in logs, errors and health: the id the user gave its route (a templated route's
     * {@code routeId} names the camera), else the endpoint's name ({@code gstreamer:NAME}) rather than a generated
     * {@code route1}.
     */
    String pipelineName() {
        Route route = getRoute();
        return route != null && route.isCustomId() ? route.getRouteId() : endpoint.getName();
    }

    /** The pipeline's state once a change in progress completes (waiting at most a second); NULL when stopped. */
    State pipelineState() {
        PipelineSupervisor run = supervisor;
        return run == null ? State.NULL : run.state();
    }

    /** Milliseconds since the last frame, or since the pipeline started when none came yet. */
    long millisSinceLastFrame() {
        return metrics.millisSinceLastFrame(System.nanoTime());
    }

    @ManagedAttribute(description = "Frames emitted in the last whole second; 0 two seconds after the last frame")
    public double getCurrentFps() {
        return metrics.currentFps(System.nanoTime());
    }

    @ManagedAttribute(description = "Median time from pulling a frame to the route being done with it, in microseconds, "
            + "over the last 1024 frames; for rtp-mjpeg that is until its last packet is in the kernel")
    public long getRouteTimeP50Micros() {
        return metrics.routeTimes().percentileMicros(50);
    }

    @ManagedAttribute(description = "99th percentile of the time from pulling a frame to the route being done with it, "
            + "in microseconds, over the last 1024 frames")
    public long getRouteTimeP99Micros() {
        return metrics.routeTimes().percentileMicros(99);
    }

    @ManagedAttribute(description = "Median time from a frame's capture (its PTS on the pipeline clock) to the route "
            + "being done with it, in microseconds, over the last 1024 frames: encoding included. -1 when the pipeline "
            + "clock is not the system's monotonic clock")
    public long getCaptureLatencyP50Micros() {
        return metrics.captureLatencies().percentileMicros(50);
    }

    @ManagedAttribute(description = "99th percentile of the time from a frame's capture to the route being done with "
            + "it, in microseconds, over the last 1024 frames")
    public long getCaptureLatencyP99Micros() {
        return metrics.captureLatencies().percentileMicros(99);
    }

    @ManagedAttribute(description = "Frames handed to the route")
    public long getFramesEmitted() {
        return metrics.framesEmitted();
    }

    @ManagedAttribute(description = "Frames the route failed on: an exception, or an error such as OutOfMemoryError")
    public long getFramesFailed() {
        return metrics.framesFailed();
    }

    @ManagedAttribute(description = "Frames the appsink dropped because the route was busy")
    public long getFramesDropped() {
        return metrics.framesDropped();
    }

    @ManagedAttribute(description = "Arrays allocated for frames: one per frame the route kept, plus one when a frame "
            + "outgrows the array; the other frames reuse an array")
    public long getFrameArraysAllocated() {
        return metrics.frameArraysAllocated();
    }

    @ManagedAttribute(description = "Frames whose exchange the route copied (seda, wireTap, multicast, aggregate...), "
            + "so their array was left to the copies instead of being reused")
    public long getFramesKeptByRoute() {
        return metrics.framesKeptByRoute();
    }

    @ManagedAttribute(description = "Times the pipeline was restarted after an error or end of stream")
    public long getRestarts() {
        return metrics.restarts();
    }

    @ManagedAttribute(description = "True when the pipeline ran out of restarts (maxRestarts) and was stopped for good")
    public boolean isGaveUp() {
        PipelineSupervisor run = supervisor;
        return run != null && run.hasGivenUp();
    }

    @ManagedAttribute(description = "The last error the pipeline posted, naming the element")
    public String getLastError() {
        PipelineSupervisor run = supervisor;
        return run != null ? run.lastError() : null;
    }
}
