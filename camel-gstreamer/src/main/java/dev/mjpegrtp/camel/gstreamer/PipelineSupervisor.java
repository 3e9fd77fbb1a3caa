package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.jna.Pointer;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.ExecutorServiceManager;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a consumer's pipeline, from start to stop: plays it, pauses and plays it again as the route is suspended
 * and resumed, restarts it with backoff after an error or end of stream, gives up after maxRestarts, and drains it to
 * end of stream on stop. It also tells the pull thread when it may pull again after the pipeline stopped streaming.
 *
 * <p>Threads: bus messages arrive on gst1-java-core's single executor thread and are handed at once to a restart
 * thread, because state changes must not run on GStreamer's streaming threads and the bus thread serves every
 * pipeline in the JVM. {@code stateLock} serialises state changes (restarts, suspend, resume, the drain on stop);
 * {@code restartLock} guards the restart bookkeeping. The pull thread waits at a {@link PullGate} between runs.
 */
final class PipelineSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);
    /** How long start waits for the bus to explain a pipeline that failed to start. */
    private static final long START_ERROR_WAIT_MILLIS = 2000;
    private static final long BUS_DRAIN_TIMEOUT_MILLIS = 2000;
    /** How long stop waits for a state change in progress before it sends end of stream. */
    private static final long STATE_SETTLE_MILLIS = 1000;
    /** Two clocks that read this close at once are taken to be the same clock (CLOCK_MONOTONIC). */
    private static final long SAME_CLOCK_NANOS = 5_000_000;
    /** What {@link #monotonicBaseTime} returns for a clock System.nanoTime cannot be compared with. */
    static final long NO_CAPTURE_TIME = Long.MIN_VALUE;

    private final GstreamerEndpoint endpoint;
    private final String name;
    private final FrameMetrics metrics;
    private final ExceptionHandler exceptionHandler;
    private final Object threadOwner;
    private final ExecutorServiceManager executors;
    private final Object restartLock = new Object();
    private final Object stateLock = new Object();
    /** Guarded by restartLock. */
    private final RestartBackoff backoff;
    private final AppsinkPipeline pipeline;
    private ScheduledExecutorService restartExecutor;
    /** The pipeline is disposed: nothing may touch it any more. Guarded by stateLock. */
    private boolean released;

    private volatile boolean running;
    /** Set on stop: the pipeline drains to end of stream, and the frames still coming are released, not routed. */
    private volatile boolean stopping;
    private volatile boolean suspended;
    /** The pipeline refused to pause on suspend and was stopped instead; guarded by stateLock. */
    private boolean stoppedWhileSuspended;
    /** The run ran out of restarts (maxRestarts) and stopped the pipeline for good. */
    private volatile boolean gaveUp;
    private volatile String lastError;
    private volatile String failedElement;
    private volatile String failureMessage;
    /** Set by the first error after a (re)start, when the pipeline stopped streaming. */
    private volatile boolean failedSinceStart;
    /** The pipeline posted end of stream since it last started: there is nothing left to drain on stop. */
    private volatile boolean endedSinceStart;
    /** Counted down by the end of stream that stop waits for. */
    private volatile CountDownLatch drained;
    /** Running time starts again at zero after a start, restart or resume. */
    private volatile boolean timelineReset = true;
    private final PullGate pullGate = new PullGate();
    /** Guarded by restartLock. */
    private boolean restartPending;

    /**
     * Builds the pipeline (a {@link GstreamerException} when it cannot be), {@code name} in logs and errors.
     * {@code threadOwner} owns the restart thread for Camel's executor service manager; a run that gives up hands its
     * failure to {@code exceptionHandler}.
     */
    PipelineSupervisor(GstreamerEndpoint endpoint, String name, Object threadOwner, ExceptionHandler exceptionHandler,
            FrameMetrics metrics) {
        this.endpoint = endpoint;
        this.name = name;
        this.metrics = metrics;
        this.exceptionHandler = exceptionHandler;
        this.threadOwner = threadOwner;
        this.executors = endpoint.getCamelContext().getExecutorServiceManager();
        this.backoff = new RestartBackoff(endpoint.getMaxRestarts(), endpoint.getMaxRestartDelay());
        this.pipeline = AppsinkPipeline.build(endpoint, name, this::onError, this::onEndOfStream, this::onWarning);
    }

    /**
     * Plays the pipeline. One that fails to start throws, or with restartOnError is retried with backoff: a camera
     * that is unplugged or busy now may be back later, and the route and its neighbours start anyway.
     */
    void start() throws InterruptedException {
        restartExecutor = executors.newSingleThreadScheduledExecutor(threadOwner, "gstreamer-restart-" + name);
        running = true;
        metrics.started(System.nanoTime());
        if (pipeline.pipeline().play() == StateChangeReturn.FAILURE) {
            String reason = awaitStartError();
            if (!endpoint.isRestartOnError()) {
                executors.shutdownNow(restartExecutor);
                release();
                throw new GstreamerException("pipeline " + name + " failed to start: " + reason);
            }
            LOG.warn("Pipeline {} failed to start ({}); retrying with backoff", name, reason);
            scheduleRestart();
        }
    }

    private String awaitStartError() throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_ERROR_WAIT_MILLIS;
        while (lastError == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return lastError != null ? lastError : "state change to PLAYING failed";
    }

    /**
     * Drains the pipeline to end of stream, then stops it, which ends the pull in progress: what comes after is
     * {@link #release}, once the pull thread is done.
     */
    void stop() throws InterruptedException {
        if (isReleased()) {
            return;
        }
        stopping = true;
        if (restartExecutor != null) {
            executors.shutdownNow(restartExecutor);
        }
        drainToEndOfStream();
        running = false;
        pullGate.close();
        synchronized (stateLock) {
            pipeline.pipeline().stop(); // unblocks pullSample, which then returns null
        }
    }

    /** Disposes the pipeline: only when no thread pulls from it any more. */
    void release() {
        running = false;
        pullGate.close();
        synchronized (stateLock) {
            if (!released) {
                released = true;
                pipeline.release();
            }
        }
    }

    private boolean isReleased() {
        synchronized (stateLock) {
            return released;
        }
    }

    /**
     * Sends end-of-stream into the pipeline and waits, up to eosTimeout, for the bus to report that it reached the
     * sinks. A pipeline that failed, gave up or already ended has nothing in flight and is not waited for.
     */
    private void drainToEndOfStream() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        synchronized (stateLock) {
            if (gaveUp || failedSinceStart || endedSinceStart || stoppedWhileSuspended) {
                return;
            }
            Pipeline playing = pipeline.pipeline();
            if (suspended) {
                // Play first (Camel suspends a route before it stops it), the sources included: a paused RTSP camera
                // sends nothing until rtspsrc plays. The frames that flow meanwhile are released by the pull thread,
                // not routed.
                pipeline.play();
            }
            // Only into a pipeline that is PLAYING: a source queues end of stream only after it has stopped its
            // streaming thread, and in PAUSED (or on the way to PLAYING) a sink may hold that thread in preroll, so
            // that gst_element_send_event would block for good, and the stop with it.
            State state = playing.getState(STATE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            if (state != State.PLAYING) {
                LOG.warn("Pipeline {} is {}, not PLAYING; stopping without end of stream", name, state);
                return;
            }
            drained = latch;
            playing.sendEvent(new EOSEvent());
        }
        if (!latch.await(endpoint.getEosTimeout(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Pipeline {}: end of stream did not reach the sinks within {} ms; stopping anyway",
                    name, endpoint.getEosTimeout());
        }
    }

    /** Pauses the pipeline; a source that refuses to pause, such as some rtspsrc servers, is stopped instead. */
    void suspend() {
        synchronized (stateLock) {
            suspended = true;
            if (!released && !gaveUp && pipeline.pipeline().pause() == StateChangeReturn.FAILURE) {
                LOG.info("Pipeline {} refused to pause; stopping it until the route resumes", name);
                pipeline.pipeline().stop();
                stoppedWhileSuspended = true;
            }
        }
    }

    void resume() {
        synchronized (stateLock) {
            suspended = false;
            stoppedWhileSuspended = false;
            timelineReset = true;
            if (!released && !gaveUp) {
                if (pipeline.play() == StateChangeReturn.FAILURE) {
                    LOG.warn("Pipeline {} failed to play on resume: {}", name, lastError);
                }
                pullGate.open(); // in case the pipeline had been stopped, which ends the pull thread's pull
            }
        }
    }

    // For the pull thread.

    /** The appsink to pull from. */
    Pointer sink() {
        return pipeline.sink();
    }

    boolean isRunning() {
        return running;
    }

    /** False while the route is suspended or stopping: the frames that still come are released, not routed. */
    boolean routesFrames() {
        return !stopping && !suspended;
    }

    /** Where the pull thread waits for the pipeline to play again when a pull returns nothing. */
    PullGate pullGate() {
        return pullGate;
    }

    /** Whether running time started again at zero since the last call. */
    boolean takeTimelineReset() {
        if (!timelineReset) {
            return false;
        }
        timelineReset = false;
        return true;
    }

    /** A frame came through: the next failure restarts at once again. */
    void frameFlowed() {
        if (backoff.hasFailures()) { // read without the lock, which is taken only after a failure, not per frame
            synchronized (restartLock) {
                backoff.frameFlowed();
            }
        }
    }

    /**
     * The pipeline's base time, when its clock is the one System.nanoTime reads (GStreamer's default system clock is
     * CLOCK_MONOTONIC, as is the JVM's on Linux): base time + PTS is then a frame's capture time on System.nanoTime's
     * clock. NO_CAPTURE_TIME for any other clock (a source's or a network clock), whose time cannot be compared.
     */
    long monotonicBaseTime() {
        return PipelineClocks.read(pipeline.pipeline(), (clock, running) ->
                Math.abs(clock.getTime() - System.nanoTime()) < SAME_CLOCK_NANOS ? running.getBaseTime() : NO_CAPTURE_TIME,
                NO_CAPTURE_TIME);
    }

    // Bus listeners run on gst1-java-core's one executor thread: log, hand off, return.

    private void onError(GstObject source, int code, String message) {
        String element = source != null ? source.getName() : "?";
        String error = "element " + element + ": " + message;
        LOG.warn("Pipeline {}: error from {}", name, error);
        CountDownLatch latch = drained;
        if (latch != null) {
            latch.countDown(); // nothing more will flow: the stop need not wait for an end of stream
        }
        if (!running || failedSinceStart) {
            return; // the first error is the cause; the ones after it are its echoes from other elements
        }
        failedSinceStart = true;
        lastError = error;
        failedElement = element;
        failureMessage = message;
        if (endpoint.isRestartOnError()) {
            scheduleRestart();
        } else {
            handOff(this::giveUp);
        }
    }

    private void onEndOfStream(GstObject source) {
        LOG.info("Pipeline {}: end of stream", name);
        endedSinceStart = true;
        CountDownLatch latch = drained;
        if (latch != null) {
            latch.countDown();
            return; // the end of stream stop asked for
        }
        if (running && endpoint.isRestartOnEos()) {
            failedElement = source != null ? source.getName() : name;
            failureMessage = "end of stream";
            scheduleRestart();
        }
    }

    private void onWarning(GstObject source, int code, String message) {
        LOG.warn("Pipeline {}: warning from element {}: {}", name, source != null ? source.getName() : "?", message);
    }

    private void scheduleRestart() {
        long delay;
        synchronized (restartLock) {
            if (restartPending || !running || stopping || gaveUp) {
                return;
            }
            delay = backoff.nextDelayMillis();
            if (delay == RestartBackoff.GIVE_UP) {
                gaveUp = true; // no restart from here on, whatever the bus still posts
                handOff(this::giveUp);
                return;
            }
            restartPending = true;
        }
        LOG.info("Pipeline {}: restarting in {} ms", name, delay);
        try {
            restartExecutor.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline {}: not restarted, the consumer is stopping", name);
        }
    }

    /** Runs {@code task} on the restart thread: never route an exchange or change state on the bus thread. */
    private void handOff(Runnable task) {
        try {
            restartExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline {}: task dropped, the consumer is stopping", name);
        }
    }

    /**
     * Stops the pipeline for good and hands a {@link GstreamerPipelineException} to the consumer's exception handler:
     * with bridgeErrorHandler=true, the route's error handler and onException see it; otherwise it is logged.
     */
    private void giveUp() {
        synchronized (stateLock) {
            if (!running || stopping) {
                return;
            }
            gaveUp = true;
            pipeline.pipeline().stop();
        }
        GstreamerPipelineException failure = new GstreamerPipelineException(name,
                failedElement != null ? failedElement : "?", failureMessage != null ? failureMessage : "unknown error",
                metrics.restarts());
        LOG.error("Pipeline {} stopped for good: {}", name, failure.getMessage());
        exceptionHandler.handleException("Pipeline " + name + " gave up", failure);
    }

    /**
     * Waits until the bus thread has dispatched every message the stopped pipeline posted: its streaming threads are
     * joined, so all their messages are queued on gst1-java-core's single executor ahead of this marker. The errors
     * that echo the first one then arrive while it still counts, and do not restart the new run.
     */
    private static void awaitBusMessagesPostedBefore() {
        try {
            Gst.getExecutor().submit(() -> { }).get(BUS_DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Bus messages not drained before restart: {}", e.toString());
        }
    }

    private void restart() {
        StateChangeReturn result;
        synchronized (stateLock) {
            if (!running || stopping) {
                return;
            }
            timelineReset = true; // running time starts again at zero
            pipeline.pipeline().stop();
            awaitBusMessagesPostedBefore();
            failedSinceStart = false;
            endedSinceStart = false;
            // A suspended route gets its pipeline back paused; resuming plays it.
            result = suspended ? pipeline.pipeline().pause() : pipeline.pipeline().play();
            metrics.restarted();
        }
        synchronized (restartLock) {
            restartPending = false;
        }
        pullGate.open();
        if (result == StateChangeReturn.FAILURE) {
            scheduleRestart();
        }
    }

    /** The pipeline's state once a change in progress completes (waiting at most a second); NULL once released. */
    State state() {
        synchronized (stateLock) {
            return released ? State.NULL : pipeline.pipeline().getState(1, TimeUnit.SECONDS);
        }
    }

    boolean hasGivenUp() {
        return gaveUp;
    }

    String lastError() {
        return lastError;
    }
}
