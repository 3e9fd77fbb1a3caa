package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ReactiveExecutor;
import org.apache.camel.support.DefaultConsumer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.Fraction;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the endpoint's pipeline with an appsink at its end and emits one exchange per sample.
 *
 * <p>Threads: samples are pulled on a dedicated thread, which also runs the route, so a slow route only makes the
 * appsink drop its oldest buffer (max-buffers, drop); bus messages arrive on gst1-java-core's single executor thread
 * and are handed at once to a restart thread, because state changes must not run on GStreamer's streaming threads and
 * the bus thread serves every pipeline in the JVM. The pipeline, its bus, its appsink and the bus listeners are held
 * in fields while the consumer runs, so that the garbage collector cannot dispose them underneath GStreamer.
 *
 * <p>Suspending the route pauses the pipeline (PAUSED; a source that refuses to pause, such as some rtspsrc servers,
 * is stopped instead) and resuming plays it again. Stopping sends end-of-stream and waits up to eosTimeout for it to
 * reach the sinks, so that muxers in other branches of the pipeline finish their files, before the pipeline goes to
 * NULL.
 */
@ManagedResource(description = "GStreamer appsink consumer")
public class GstreamerConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(GstreamerConsumer.class);
    private static final String SINK_NAME = "camel_appsink";
    /** A last element that is an appsink with a name: the user's own sink, configured as they wrote it. */
    private static final Pattern NAMED_APPSINK = Pattern.compile("(?:^|!)\\s*appsink\\b[^!]*?\\bname\\s*=\\s*\"?([\\w-]+)\"?[^!]*$");
    private static final long FIRST_RETRY_DELAY_MILLIS = 1000;
    /** Frames the current frame rate is measured over: 30 intervals. */
    private static final int RECENT_FRAMES = 31;
    /** How long doStart waits for the bus to explain a pipeline that failed to start. */
    private static final long START_ERROR_WAIT_MILLIS = 2000;
    private static final long BUS_DRAIN_TIMEOUT_MILLIS = 2000;
    /** How long stop waits for a state change in progress before it sends end of stream. */
    private static final long STATE_SETTLE_MILLIS = 1000;
    private static final long NO_CAPTURE_TIME = Long.MIN_VALUE;
    /** Two clocks that read this close at once are taken to be the same clock (CLOCK_MONOTONIC). */
    private static final long SAME_CLOCK_NANOS = 5_000_000;

    private final GstreamerEndpoint endpoint;
    private final Bus.ERROR errorListener = this::onError;
    private final Bus.EOS eosListener = this::onEndOfStream;
    private final Bus.WARNING warningListener = this::onWarning;
    private final LongAdder framesEmitted = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final Object restartLock = new Object();
    /** Serialises state changes of the pipeline: restarts, suspend, resume and the end-of-stream drain on stop. */
    private final Object stateLock = new Object();

    private Pipeline pipeline;
    private AppSink sink;
    private Bus bus;
    private ExecutorService frameExecutor;
    private ScheduledExecutorService restartExecutor;
    private volatile boolean running;
    /** Set on stop: the pipeline drains to end of stream, and the frames still coming are released, not routed. */
    private volatile boolean stopping;
    private volatile boolean suspended;
    /** The pipeline refused to pause on suspend and was stopped instead; guarded by stateLock. */
    private boolean stoppedWhileSuspended;
    /** The consumer ran out of restarts (maxRestarts) and stopped the pipeline for good. */
    private volatile boolean gaveUp;
    private volatile String lastError;
    private volatile String failedElement;
    private volatile String failureMessage;
    /** Set by the first error after a (re)start, when the pipeline stopped streaming. */
    private volatile boolean failedSinceStart;
    /** The pipeline posted end of stream since it last started: there is nothing left to drain on stop. */
    private volatile boolean endedSinceStart;
    /** Counted down by the end of stream that doStop waits for. */
    private volatile CountDownLatch drained;
    /** Running time starts again at zero after a restart or resume; the frame thread forgets the last PTS. */
    private volatile boolean timelineReset;
    /** Bumped after each restart; guarded by restartLock. */
    private int generation;
    /** Failures in a row without a frame in between; guarded by restartLock. */
    private int failuresInRow;
    private boolean restartPending;
    private long sequence;
    /** From a frame's pull to the route being done with it (for rtp-mjpeg: its last packet in the kernel). */
    private final RecentDurations routeTimes = new RecentDurations();
    /** From a frame's capture (base time + PTS on the pipeline clock) to the route being done with it. */
    private final RecentDurations captureLatencies = new RecentDurations();
    /** Base time of the running pipeline on System.nanoTime's clock, or NO_CAPTURE_TIME; owned by the pull thread. */
    private long captureBase = NO_CAPTURE_TIME;
    private final RoutedFrame routed = new RoutedFrame();
    /** The GstMapInfo every frame's buffer is mapped with; owned by the pull thread. */
    private final Memory mapInfo = new Memory(SampleCalls.MAP_INFO_SIZE);
    /** With reuseBuffer, the array every frame is copied into; owned by the pull thread. */
    private byte[] reusedFrame = new byte[0];
    private volatile long lastFrameNanos;
    /** Arrival times of the last frames, a ring written by the pull thread, for the current frame rate. */
    private final long[] recentFrames = new long[RECENT_FRAMES];
    private volatile int recentCount;
    /** Touched only on the frame thread; read by JMX. */
    private volatile long framesDropped;
    private long lastPts = -1;
    /** The caps of the last sample, referenced, and the headers read from them: caps rarely change. */
    private Pointer lastCaps;
    private CapsHeaders lastCapsHeaders = CapsHeaders.NONE;

    public GstreamerConsumer(GstreamerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        setHealthCheck(new PipelineHealthCheck(this, endpoint.getEndpointUri()));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GstreamerRuntime.initialize();
        buildPipeline();
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        frameExecutor = executors.newSingleThreadExecutor(this, "gstreamer-" + endpoint.getName());
        restartExecutor = executors.newSingleThreadScheduledExecutor(this, "gstreamer-restart-" + endpoint.getName());
        stopping = false;
        suspended = false;
        stoppedWhileSuspended = false;
        gaveUp = false;
        failedSinceStart = false;
        endedSinceStart = false;
        drained = null;
        timelineReset = true;
        running = true;
        lastFrameNanos = System.nanoTime(); // a pipeline just started counts as delivering
        if (pipeline.play() == StateChangeReturn.FAILURE) {
            String reason = awaitStartError();
            if (!endpoint.isRestartOnError()) {
                running = false;
                releasePipeline();
                throw new GstreamerException("pipeline " + endpoint.getName() + " failed to start: " + reason);
            }
            // A camera that is unplugged or busy now may be back later; the route and its neighbours start anyway.
            LOG.warn("Pipeline {} failed to start ({}); retrying with backoff", endpoint.getName(), reason);
            scheduleRestart();
        }
        frameExecutor.execute(this::pullFrames);
        LOG.info("Started pipeline {}: {} ! appsink", endpoint.getName(), endpoint.getPipeline());
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        if (restartExecutor != null) {
            executors.shutdownNow(restartExecutor);
            restartExecutor = null;
        }
        if (pipeline != null) {
            drainToEndOfStream();
        }
        running = false;
        synchronized (restartLock) {
            restartLock.notifyAll();
        }
        if (pipeline != null) {
            synchronized (stateLock) {
                pipeline.stop(); // unblocks pullSample, which then returns null
            }
        }
        if (frameExecutor != null) {
            executors.shutdownGraceful(frameExecutor);
            frameExecutor = null;
        }
        releasePipeline();
        LOG.info("Stopped pipeline {} after {} frames and {} restarts", endpoint.getName(), framesEmitted.sum(),
                restarts.sum());
        super.doStop();
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
            if (suspended) {
                // Play first (Camel suspends a route before it stops it). The frames that flow meanwhile are released
                // by the frame thread, not routed.
                pipeline.play();
            }
            // Only into a pipeline that is PLAYING: a source queues end of stream only after it has stopped its
            // streaming thread, and in PAUSED (or on the way to PLAYING) a sink may hold that thread in preroll, so
            // that gst_element_send_event would block for good, and the stop with it.
            State state = pipeline.getState(STATE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            if (state != State.PLAYING) {
                LOG.warn("Pipeline {} is {}, not PLAYING; stopping without end of stream", endpoint.getName(), state);
                return;
            }
            drained = latch;
            pipeline.sendEvent(new EOSEvent());
        }
        if (!latch.await(endpoint.getEosTimeout(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Pipeline {}: end of stream did not reach the sinks within {} ms; stopping anyway",
                    endpoint.getName(), endpoint.getEosTimeout());
        }
    }

    @Override
    protected void doSuspend() throws Exception {
        synchronized (stateLock) {
            suspended = true;
            if (pipeline != null && !gaveUp && pipeline.pause() == StateChangeReturn.FAILURE) {
                LOG.info("Pipeline {} refused to pause; stopping it until the route resumes", endpoint.getName());
                pipeline.stop();
                stoppedWhileSuspended = true;
            }
        }
        LOG.debug("Suspended pipeline {}", endpoint.getName()); // Camel suspends before every stop, too
    }

    @Override
    protected void doResume() throws Exception {
        synchronized (stateLock) {
            suspended = false;
            stoppedWhileSuspended = false;
            timelineReset = true;
            if (pipeline != null && !gaveUp) {
                if (pipeline.play() == StateChangeReturn.FAILURE) {
                    LOG.warn("Pipeline {} failed to play on resume: {}", endpoint.getName(), lastError);
                }
                wakeFrameThread(); // in case the pipeline had been stopped, which ends the frame thread's pull
            }
        }
        LOG.debug("Resumed pipeline {}", endpoint.getName());
    }

    private void wakeFrameThread() {
        synchronized (restartLock) {
            generation++;
            restartLock.notifyAll();
        }
    }

    private void buildPipeline() {
        String sinkName = namedAppsink(endpoint.getPipeline());
        String description = sinkName != null ? endpoint.getPipeline() : endpoint.getPipeline() + " ! appsink name=" + SINK_NAME;
        pipeline = GstreamerPipelines.build(endpoint.getName(), description);
        sink = (AppSink) pipeline.getElementByName(sinkName != null ? sinkName : SINK_NAME);
        sink.set("emit-signals", false); // frames are pulled on our own thread, never pushed through signals
        if (sinkName == null) {
            // Our own appsink; a user's keeps the properties they gave it.
            sink.set("sync", false);
            sink.set("max-buffers", endpoint.getMaxBuffers());
            sink.set("drop", endpoint.isDrop());
            sink.setCaps(Caps.fromString(endpoint.getCaps()));
        }
        bus = pipeline.getBus();
        bus.connect(errorListener);
        bus.connect(eosListener);
        bus.connect(warningListener);
    }

    /** The name of the appsink a description ends with ({@code ... ! appsink name=out}), or null when it has none. */
    static String namedAppsink(String description) {
        Matcher matcher = NAMED_APPSINK.matcher(description);
        return matcher.find() ? matcher.group(1) : null;
    }

    private void releasePipeline() {
        if (pipeline == null) {
            return;
        }
        pipeline.stop();
        bus.disconnect(errorListener);
        bus.disconnect(eosListener);
        bus.disconnect(warningListener);
        sink.dispose();
        bus.dispose();
        pipeline.dispose();
        sink = null;
        bus = null;
        pipeline = null;
    }

    private String awaitStartError() throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_ERROR_WAIT_MILLIS;
        while (lastError == null && System.currentTimeMillis() < deadline) {
            synchronized (restartLock) {
                restartLock.wait(50);
            }
        }
        return lastError != null ? lastError : "state change to PLAYING failed";
    }

    private void pullFrames() {
        while (running) {
            int pulledIn;
            synchronized (restartLock) {
                pulledIn = generation;
            }
            Pointer sample = SampleCalls.GstApp.gst_app_sink_pull_sample(Natives.getRawPointer(sink));
            if (sample == null) {
                awaitRestart(pulledIn); // end of stream, error, or stopping
                continue;
            }
            try {
                if (stopping || suspended) {
                    continue; // a suspended or stopping route takes no new exchanges; the sample is released below
                }
                emit(sample);
            } catch (Throwable e) {
                // Keep pulling: one bad sample, even one that ran out of memory, must not end the stream.
                LOG.warn("Pipeline {}: could not read a sample: {}", endpoint.getName(), e.toString());
            } finally {
                SampleCalls.Gst.gst_mini_object_unref(sample);
            }
        }
        forgetCaps();
    }

    private void awaitRestart(int pulledIn) {
        synchronized (restartLock) {
            while (running && generation == pulledIn) {
                try {
                    restartLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Routes one sample; it stays the caller's, and so do the buffer and caps it holds. */
    private void emit(Pointer sample) {
        long pulledNanos = System.nanoTime();
        if (timelineReset) {
            timelineReset = false;
            lastPts = -1;
            captureBase = monotonicBaseTime();
        }
        Pointer buffer = SampleCalls.Gst.gst_sample_get_buffer(sample);
        if (buffer == null) {
            return; // a sample of caps or a segment alone: no frame
        }
        long pts = SampleCalls.pts(buffer);
        Object frame = copy(buffer);
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(frame);
            long dts = SampleCalls.dts(buffer);
            long duration = SampleCalls.duration(buffer);
            if (pts >= 0) {
                exchange.getIn().setHeader(GstreamerConstants.PTS, pts);
                countDropped(pts, duration);
            }
            if (dts >= 0) {
                exchange.getIn().setHeader(GstreamerConstants.DTS, dts);
            }
            exchange.getIn().setHeader(GstreamerConstants.FRAMES_DROPPED, framesDropped);
            if (duration >= 0) {
                exchange.getIn().setHeader(GstreamerConstants.DURATION, duration);
            }
            capsHeaders(SampleCalls.Gst.gst_sample_get_caps(sample)).setOn(exchange);
            exchange.getIn().setHeader(GstreamerConstants.SEQUENCE, sequence++);
            framesEmitted.increment();
            lastFrameNanos = System.nanoTime();
            recentFrames[(int) (sequence % RECENT_FRAMES)] = lastFrameNanos;
            recentCount = (int) Math.min(RECENT_FRAMES, recentCount + 1L);
            frameFlowed();
            routed.start(pulledNanos, pts);
            getAsyncProcessor().process(exchange, routed);
            routed.await();
        } catch (InterruptedException e) {
            // Stopping: the frame may still be on its way, but this thread no longer waits for it.
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (Throwable e) {
            // An Error from the route (out of memory, stack overflow) included: the next frame goes through.
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                framesFailed.increment();
                finishQueuedWork();
                getExceptionHandler().handleException("Error processing a frame from pipeline " + endpoint.getName(),
                        exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    /**
     * Camel's reactive executor stops at an {@link Error} and leaves the rest of the exchange's work queued on this
     * thread, its completion included (what takes it out of the inflight registry), until another exchange runs here.
     */
    private void finishQueuedWork() {
        ReactiveExecutor executor = endpoint.getCamelContext().getCamelContextExtension().getReactiveExecutor();
        boolean more = true;
        while (more) {
            try {
                more = executor.executeFromQueue();
            } catch (Throwable e) {
                LOG.warn("Pipeline {}: completing a failed frame's exchange failed: {}", endpoint.getName(), e.toString());
            }
        }
    }

    /**
     * Waits for the route to be done with a frame, and times it where it is done: an rtp-mjpeg producer completes the
     * exchange on its socket's thread right after the frame's last packet went to the kernel, before the pull thread
     * wakes up. The pull thread waits before it pulls the next frame, as the body (reuseBuffer) must outlive the route
     * and a route slower than the source must make the appsink drop frames, not queue them. One instance serves
     * every frame: there is one frame in the route at a time.
     */
    private final class RoutedFrame implements AsyncCallback {

        private final Semaphore done = new Semaphore(0);
        private long pulledNanos;
        private long pts;

        void start(long pulledNanos, long pts) {
            this.pulledNanos = pulledNanos;
            this.pts = pts;
            done.drainPermits(); // a frame given up on (interrupted) may have completed since
        }

        @Override
        public void done(boolean doneSync) {
            long doneNanos = System.nanoTime();
            routeTimes.record(doneNanos - pulledNanos);
            if (pts >= 0 && captureBase != NO_CAPTURE_TIME) {
                captureLatencies.record(doneNanos - captureBase - pts);
            }
            done.release();
        }

        void await() throws InterruptedException {
            done.acquire();
        }
    }

    /**
     * The appsink drops the oldest buffer silently when the route falls behind; the gap it leaves in presentation
     * times, in frame durations, tells how many went.
     */
    private void countDropped(long pts, long duration) {
        if (lastPts >= 0 && duration > 0 && pts > lastPts) {
            long missing = Math.round((double) (pts - lastPts) / duration) - 1;
            if (missing > 0) {
                framesDropped += missing;
            }
        }
        lastPts = pts;
    }

    /**
     * The one copy out of native memory: map, copy, unmap. The mapped view never leaves this method. With reuseBuffer
     * the copy goes into {@link #reusedFrame}, which grows with a quarter of headroom when a frame does not fit, so a
     * stream of similar frames settles on one array.
     */
    private Object copy(Pointer buffer) {
        if (SampleCalls.Gst.gst_buffer_map(buffer, mapInfo, SampleCalls.MAP_READ) == 0) {
            throw new GstreamerException("could not map a buffer for reading");
        }
        try {
            Pointer data = mapInfo.getPointer(SampleCalls.MAP_INFO_DATA);
            int size = Math.toIntExact(mapInfo.getLong(SampleCalls.MAP_INFO_SIZE_FIELD));
            if (!endpoint.isReuseBuffer()) {
                byte[] frame = new byte[size];
                data.read(0, frame, 0, size);
                return frame;
            }
            if (reusedFrame.length < size) {
                reusedFrame = new byte[size + size / 4];
            }
            data.read(0, reusedFrame, 0, size);
            return ByteBuffer.wrap(reusedFrame, 0, size);
        } finally {
            SampleCalls.Gst.gst_buffer_unmap(buffer, mapInfo);
        }
    }

    /**
     * The pipeline's base time, when its clock is the one System.nanoTime reads (GStreamer's default system clock is
     * CLOCK_MONOTONIC, as is the JVM's on Linux): base time + PTS is then a frame's capture time on System.nanoTime's
     * clock. NO_CAPTURE_TIME for any other clock (a source's or a network clock), whose time cannot be compared.
     */
    private long monotonicBaseTime() {
        Clock clock = pipeline.getClock();
        if (clock == null) {
            return NO_CAPTURE_TIME;
        }
        try {
            boolean sameClock = Math.abs(clock.getTime() - System.nanoTime()) < SAME_CLOCK_NANOS;
            return sameClock ? pipeline.getBaseTime() : NO_CAPTURE_TIME;
        } finally {
            clock.dispose();
        }
    }

    /**
     * The headers the sample's caps give, read again only when the caps change. The consumer keeps a reference to the
     * caps it read, so the same pointer is always the same caps (shared caps never change) and is never freed and
     * reused for others meanwhile.
     */
    private CapsHeaders capsHeaders(Pointer caps) {
        if (caps == null) {
            return CapsHeaders.NONE;
        }
        if (!caps.equals(lastCaps)) {
            forgetCaps();
            lastCapsHeaders = CapsHeaders.of(caps);
            lastCaps = SampleCalls.Gst.gst_mini_object_ref(caps);
        }
        return lastCapsHeaders;
    }

    private void forgetCaps() {
        if (lastCaps != null) {
            SampleCalls.Gst.gst_mini_object_unref(lastCaps);
            lastCaps = null;
            lastCapsHeaders = CapsHeaders.NONE;
        }
    }

    private record CapsHeaders(String caps, Integer width, Integer height, String framerate, String format) {

        static final CapsHeaders NONE = new CapsHeaders(null, null, null, null, null);

        /** Read through gst1-java-core, which is fine for something that happens once per caps change. */
        static CapsHeaders of(Pointer pointer) {
            Caps caps = Natives.objectFor(pointer, Caps.class, true, true);
            try {
                if (caps.size() == 0) {
                    return NONE;
                }
                return of(caps.toString(), caps.getStructure(0));
            } finally {
                caps.dispose();
            }
        }

        private static CapsHeaders of(String text, Structure structure) {
            Integer width = structure.hasField("width") ? structure.getInteger("width") : null;
            Integer height = structure.hasField("height") ? structure.getInteger("height") : null;
            String framerate = null;
            if (structure.hasField("framerate")) {
                Fraction rate = structure.getFraction("framerate");
                framerate = rate.getNumerator() + "/" + rate.getDenominator();
            }
            // Only raw video has a pixel format that says how to read the body; image/jpeg has none.
            String format = structure.getName().startsWith("video/x-raw") && structure.hasField("format")
                    ? structure.getString("format") : null;
            return new CapsHeaders(text, width, height, framerate, format);
        }

        void setOn(Exchange exchange) {
            setIfPresent(exchange, GstreamerConstants.CAPS, caps);
            setIfPresent(exchange, GstreamerConstants.WIDTH, width);
            setIfPresent(exchange, GstreamerConstants.HEIGHT, height);
            setIfPresent(exchange, GstreamerConstants.FRAMERATE, framerate);
            setIfPresent(exchange, GstreamerConstants.FORMAT, format);
        }

        private static void setIfPresent(Exchange exchange, String header, Object value) {
            if (value != null) {
                exchange.getIn().setHeader(header, value);
            }
        }
    }

    private void frameFlowed() {
        if (failuresInRow != 0) {
            synchronized (restartLock) {
                failuresInRow = 0;
            }
        }
    }

    // Bus listeners run on gst1-java-core's one executor thread: log, hand off, return.

    private void onError(GstObject source, int code, String message) {
        String element = source != null ? source.getName() : "?";
        String error = "element " + element + ": " + message;
        LOG.warn("Pipeline {}: error from {}", endpoint.getName(), error);
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
        LOG.info("Pipeline {}: end of stream", endpoint.getName());
        endedSinceStart = true;
        CountDownLatch latch = drained;
        if (latch != null) {
            latch.countDown();
            return; // the end of stream doStop asked for
        }
        if (running && endpoint.isRestartOnEos()) {
            failedElement = source != null ? source.getName() : endpoint.getName();
            failureMessage = "end of stream";
            scheduleRestart();
        }
    }

    private void onWarning(GstObject source, int code, String message) {
        LOG.warn("Pipeline {}: warning from element {}: {}", endpoint.getName(),
                source != null ? source.getName() : "?", message);
    }

    private void scheduleRestart() {
        long delay;
        synchronized (restartLock) {
            if (restartPending || !running || stopping || gaveUp) {
                return;
            }
            if (endpoint.getMaxRestarts() >= 0 && failuresInRow >= endpoint.getMaxRestarts()) {
                gaveUp = true; // no restart from here on, whatever the bus still posts
                handOff(this::giveUp);
                return;
            }
            restartPending = true;
            // 0 after a pipeline that delivered frames; then 1 s, 2 s, 4 s ... up to maxRestartDelay.
            delay = failuresInRow == 0 ? 0
                    : Math.min(endpoint.getMaxRestartDelay(), FIRST_RETRY_DELAY_MILLIS << Math.min(failuresInRow - 1, 20));
            failuresInRow++;
        }
        LOG.info("Pipeline {}: restarting in {} ms", endpoint.getName(), delay);
        try {
            restartExecutor.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline {}: not restarted, the consumer is stopping", endpoint.getName());
        }
    }

    /** Runs {@code task} on the restart thread: never route an exchange or change state on the bus thread. */
    private void handOff(Runnable task) {
        try {
            restartExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline {}: task dropped, the consumer is stopping", endpoint.getName());
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
            pipeline.stop();
        }
        GstreamerPipelineException failure = new GstreamerPipelineException(endpoint.getName(),
                failedElement != null ? failedElement : "?", failureMessage != null ? failureMessage : "unknown error",
                restarts.sum());
        LOG.error("Pipeline {} stopped for good: {}", endpoint.getName(), failure.getMessage());
        getExceptionHandler().handleException("Pipeline " + endpoint.getName() + " gave up", failure);
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
            pipeline.stop();
            awaitBusMessagesPostedBefore();
            failedSinceStart = false;
            endedSinceStart = false;
            // A suspended route gets its pipeline back paused; resuming plays it.
            result = suspended ? pipeline.pause() : pipeline.play();
            restarts.increment();
        }
        synchronized (restartLock) {
            restartPending = false;
            generation++;
            restartLock.notifyAll();
        }
        if (result == StateChangeReturn.FAILURE) {
            scheduleRestart();
        }
    }

    /** The pipeline's state once a change in progress completes (waiting at most a second); NULL when stopped. */
    State pipelineState() {
        synchronized (stateLock) {
            return pipeline == null ? State.NULL : pipeline.getState(1, TimeUnit.SECONDS);
        }
    }

    /** Milliseconds since the last frame, or since the pipeline started when none came yet. */
    long millisSinceLastFrame() {
        return (System.nanoTime() - lastFrameNanos) / 1_000_000;
    }

    @ManagedAttribute(description = "Frames per second over the last 30 frames; 0 two seconds after the last frame")
    public double getCurrentFps() {
        int count = recentCount;
        long newest = lastFrameNanos;
        if (count < 2 || System.nanoTime() - newest > 2_000_000_000L) {
            return 0;
        }
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            oldest = Math.min(oldest, recentFrames[i]);
        }
        return newest > oldest ? (count - 1) * 1e9 / (newest - oldest) : 0;
    }

    @ManagedAttribute(description = "Median time from pulling a frame to the route being done with it, in microseconds, "
            + "over the last 1024 frames; for rtp-mjpeg that is until its last packet is in the kernel")
    public long getRouteTimeP50Micros() {
        return routeTimes.percentileMicros(50);
    }

    @ManagedAttribute(description = "99th percentile of the time from pulling a frame to the route being done with it, "
            + "in microseconds, over the last 1024 frames")
    public long getRouteTimeP99Micros() {
        return routeTimes.percentileMicros(99);
    }

    @ManagedAttribute(description = "Median time from a frame's capture (its PTS on the pipeline clock) to the route "
            + "being done with it, in microseconds, over the last 1024 frames: encoding included. -1 when the pipeline "
            + "clock is not the system's monotonic clock")
    public long getCaptureLatencyP50Micros() {
        return captureLatencies.percentileMicros(50);
    }

    @ManagedAttribute(description = "99th percentile of the time from a frame's capture to the route being done with "
            + "it, in microseconds, over the last 1024 frames")
    public long getCaptureLatencyP99Micros() {
        return captureLatencies.percentileMicros(99);
    }

    @ManagedAttribute(description = "Frames handed to the route")
    public long getFramesEmitted() {
        return framesEmitted.sum();
    }

    @ManagedAttribute(description = "Frames the route failed on: an exception, or an error such as OutOfMemoryError")
    public long getFramesFailed() {
        return framesFailed.sum();
    }

    @ManagedAttribute(description = "Frames the appsink dropped because the route was busy")
    public long getFramesDropped() {
        return framesDropped;
    }

    @ManagedAttribute(description = "Times the pipeline was restarted after an error or end of stream")
    public long getRestarts() {
        return restarts.sum();
    }

    @ManagedAttribute(description = "True when the pipeline ran out of restarts (maxRestarts) and was stopped for good")
    public boolean isGaveUp() {
        return gaveUp;
    }

    @ManagedAttribute(description = "The last error the pipeline posted, naming the element")
    public String getLastError() {
        return lastError;
    }
}
