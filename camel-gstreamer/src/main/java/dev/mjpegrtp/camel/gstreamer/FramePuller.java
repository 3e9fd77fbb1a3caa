package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.Semaphore;

import com.sun.jna.Pointer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.ReactiveExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull thread of one run: pulls each sample from the appsink, copies its frame out into an array of the
 * {@link FramePool} and routes it as an exchange, one at a time. It waits for the route to be done with a frame before
 * it pulls the next, so that the frame's array can go back to the pool, and so that a route slower than the source
 * makes the appsink drop frames (max-buffers, drop) instead of queueing them. The per-frame path calls GStreamer
 * through {@link SampleCalls} and allocates only the exchange.
 */
final class FramePuller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FramePuller.class);

    private final GstreamerConsumer consumer;
    private final PipelineSupervisor supervisor;
    private final PullGate pullGate;
    private final FrameMetrics metrics;
    private final String name;
    private final FramePool pool;
    private final FrameCopier copier;
    private final CapsHeaders.Cache caps = new CapsHeaders.Cache();
    private final RoutedFrame routed = new RoutedFrame();
    private final ReactiveExecutor reactiveExecutor;
    private final int realtimePriority;
    /** Base time of the running pipeline on System.nanoTime's clock, or NO_CAPTURE_TIME. */
    private long captureBase = PipelineSupervisor.NO_CAPTURE_TIME;

    FramePuller(GstreamerConsumer consumer, PipelineSupervisor supervisor, FrameMetrics metrics) {
        GstreamerEndpoint endpoint = consumer.getEndpoint();
        this.consumer = consumer;
        this.supervisor = supervisor;
        this.pullGate = supervisor.pullGate();
        this.metrics = metrics;
        this.name = consumer.pipelineName();
        this.pool = new FramePool(metrics);
        this.copier = new FrameCopier(pool);
        this.reactiveExecutor = endpoint.getCamelContext().getCamelContextExtension().getReactiveExecutor();
        this.realtimePriority = endpoint.getRealtimePriority();
    }

    @Override
    public void run() {
        enterRealtimeScheduler();
        try {
            while (supervisor.isRunning()) {
                int pulledIn = pullGate.generation();
                Pointer sample = SampleCalls.GstApp.gst_app_sink_pull_sample(supervisor.sink());
                if (sample == null) {
                    pullGate.await(pulledIn); // end of stream, error, or stopping
                    continue;
                }
                try {
                    if (supervisor.routesFrames()) {
                        emit(sample); // a suspended or stopping route takes no new exchanges
                    }
                } catch (Throwable e) {
                    // Keep pulling: one bad sample, even one that ran out of memory, must not end the stream.
                    LOG.warn("Pipeline {}: could not read a sample: {}", name, e.toString());
                } finally {
                    SampleCalls.Gst.gst_mini_object_unref(sample);
                }
            }
        } finally {
            caps.forget();
        }
    }

    /** The consumer's thread is its own (one per start), so its scheduling policy is left to it when the run ends. */
    private void enterRealtimeScheduler() {
        if (realtimePriority == 0) {
            return;
        }
        try {
            RealtimeScheduling.enterFifo(realtimePriority);
            LOG.info("Pipeline {}: frames are pulled and routed in the real-time scheduler (SCHED_FIFO, priority {})",
                    name, realtimePriority);
        } catch (UnsupportedOperationException | LinkageError e) {
            LOG.warn("Pipeline {}: frames are pulled in the ordinary scheduler, realtimePriority={} not applied: {}",
                    name, realtimePriority, e.getMessage());
        }
    }

    /** Routes one sample; it stays the caller's, and so do the buffer and caps it holds. */
    private void emit(Pointer sample) {
        long pulledNanos = System.nanoTime();
        if (supervisor.takeTimelineReset()) {
            metrics.timelineReset();
            captureBase = supervisor.monotonicBaseTime();
        }
        Pointer buffer = SampleCalls.Gst.gst_sample_get_buffer(sample);
        if (buffer == null) {
            return; // a sample of caps or a segment alone: no frame
        }
        long pts = SampleCalls.pts(buffer);
        FrameLease frame = copier.copy(buffer);
        boolean routeDone = false;
        Exchange exchange = consumer.createExchange(false);
        try {
            exchange.getExchangeExtension().setSafeCopyProperty(FrameLease.PROPERTY, frame);
            Message message = exchange.getIn();
            message.setBody(frame.body());
            long dts = SampleCalls.dts(buffer);
            long duration = SampleCalls.duration(buffer);
            if (pts >= 0) {
                message.setHeader(GstreamerConstants.PTS, pts);
                metrics.presentationTime(pts, duration);
            }
            if (dts >= 0) {
                message.setHeader(GstreamerConstants.DTS, dts);
            }
            message.setHeader(GstreamerConstants.FRAMES_DROPPED, metrics.framesDropped());
            if (duration >= 0) {
                message.setHeader(GstreamerConstants.DURATION, duration);
            }
            caps.headersOf(SampleCalls.Gst.gst_sample_get_caps(sample)).setOn(message);
            message.setHeader(GstreamerConstants.SEQUENCE, metrics.frameEmitted(System.nanoTime()));
            supervisor.frameFlowed();
            routed.start(pulledNanos, pts);
            consumer.getAsyncProcessor().process(exchange, routed);
            routed.await();
            routeDone = true;
        } catch (InterruptedException e) {
            // Stopping: the frame may still be on its way, but this thread no longer waits for it.
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (Throwable e) {
            // An Error from the route (out of memory, stack overflow) included: the next frame goes through.
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                metrics.frameFailed();
                finishQueuedWork();
                consumer.getExceptionHandler().handleException("Error processing a frame from pipeline " + name,
                        exchange, exchange.getException());
            }
            consumer.releaseExchange(exchange, false);
            if (routeDone) {
                pool.giveBack(frame); // an exchange given up on may still be reading its frame: its array is left to it
            }
        }
    }

    /**
     * Camel's reactive executor stops at an {@link Error} and leaves the rest of the exchange's work queued on this
     * thread, its completion included (what takes it out of the inflight registry), until another exchange runs here.
     */
    private void finishQueuedWork() {
        boolean more = true;
        while (more) {
            try {
                more = reactiveExecutor.executeFromQueue();
            } catch (Throwable e) {
                LOG.warn("Pipeline {}: completing a failed frame's exchange failed: {}", name, e.toString());
            }
        }
    }

    /**
     * Waits for the route to be done with a frame, and times it where it is done: an rtp-mjpeg producer completes the
     * exchange on its socket's thread right after the frame's last packet went to the kernel, before the pull thread
     * wakes up. One instance serves every frame: there is one frame in the route at a time.
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
            metrics.routeTime(doneNanos - pulledNanos);
            if (pts >= 0 && captureBase != PipelineSupervisor.NO_CAPTURE_TIME) {
                metrics.captureLatency(doneNanos - captureBase - pts);
            }
            done.release();
        }

        void await() throws InterruptedException {
            done.acquire();
        }
    }
}
