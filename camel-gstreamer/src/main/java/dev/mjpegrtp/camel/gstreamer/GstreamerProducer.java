package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultProducer;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each exchange's body into the appsrc that starts the endpoint's pipeline, so that a route can record,
 * re-encode or display frames from any Camel endpoint, e.g. {@code appsrc ! jpegparse ! avimux ! filesink
 * location=x.avi}.
 *
 * <p>Timestamps: an exchange with a {@link GstreamerConstants#PTS} header (as a {@code gstreamer:} consumer sets, or a
 * route from an RTP timestamp) gives its buffer that presentation time, and {@link GstreamerConstants#DTS} and
 * {@link GstreamerConstants#DURATION} likewise, shifted by one offset so that the first stamped frame plays at the
 * running time it arrived at: a recording keeps the capture's spacing however the frames were delayed on their way.
 * Without the header, appsrc stamps the buffer with the running time it arrives at (do-timestamp).
 *
 * <p>On stop the producer sends end-of-stream and waits for it to reach the sink, so that muxers finish their files
 * (an AVI or MP4 without its index is unreadable), before the pipeline goes to NULL.
 */
@ManagedResource(description = "GStreamer appsrc producer")
public class GstreamerProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(GstreamerProducer.class);
    private static final String SOURCE_NAME = "camel_appsrc";
    private static final String APPSRC = "appsrc";

    private final GstreamerEndpoint endpoint;
    private final Bus.ERROR errorListener = this::onError;
    private final Bus.EOS eosListener = this::onEndOfStream;
    private final LongAdder framesPushed = new LongAdder();

    private Pipeline pipeline;
    private AppSrc source;
    private Bus bus;
    private volatile CountDownLatch endOfStream;
    private volatile String lastError;
    /** Added to header timestamps to make them this pipeline's running time; fixed at the first stamped frame. */
    private long timestampOffset;
    private long lastHeaderPts = -1;
    /** The caps appsrc announces now: the caps option's until a frame's caps header says otherwise. */
    private String currentCaps;

    public GstreamerProducer(GstreamerEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GstreamerRuntime.initialize();
        String description = endpoint.getPipeline().strip();
        if (!description.startsWith(APPSRC)) {
            throw new GstreamerException("a gstreamer: producer pipeline starts with appsrc (e.g. appsrc ! jpegparse ! "
                    + "avimux ! filesink location=x.avi), not: " + description);
        }
        // Name the appsrc so that it can be found whatever else the description says about it.
        pipeline = GstreamerPipelines.build(endpoint.getName(),
                APPSRC + " name=" + SOURCE_NAME + description.substring(APPSRC.length()));
        source = (AppSrc) pipeline.getElementByName(SOURCE_NAME);
        currentCaps = endpoint.getCaps();
        source.setCaps(Caps.fromString(currentCaps));
        source.set("format", Format.TIME);
        source.set("is-live", true);
        source.set("do-timestamp", true);
        lastHeaderPts = -1;
        endOfStream = new CountDownLatch(1);
        bus = pipeline.getBus();
        bus.connect(errorListener);
        bus.connect(eosListener);
        pipeline.play();
        LOG.info("Started pipeline {}: {}", endpoint.getName(), description);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // A ByteBuffer (what a gstreamer: consumer emits) is copied from where it is, without a byte[] between.
        ByteBuffer body = exchange.getIn().getBody() instanceof ByteBuffer frame
                ? frame.duplicate() : ByteBuffer.wrap(exchange.getIn().getMandatoryBody(byte[].class));
        Buffer buffer = new Buffer(body.remaining());
        ByteBuffer mapped = buffer.map(true);
        try {
            mapped.put(body);
        } finally {
            buffer.unmap();
        }
        announceCaps(exchange);
        stamp(buffer, exchange);
        FlowReturn result = source.pushBuffer(buffer); // appsrc takes ownership of the buffer
        if (result != FlowReturn.OK) {
            throw new GstreamerException("pipeline " + endpoint.getName() + " refused a buffer (" + result + ")"
                    + (lastError != null ? ": " + lastError : ""));
        }
        framesPushed.increment();
    }

    /**
     * Frames from a gstreamer: consumer say what they are in the caps header (raw video's format and size, a JPEG's
     * framerate): appsrc announces those, so that the pipeline negotiates what really comes, whatever the caps option.
     */
    private void announceCaps(Exchange exchange) {
        String caps = exchange.getIn().getHeader(GstreamerConstants.CAPS, String.class);
        if (caps != null && !caps.equals(currentCaps)) {
            source.setCaps(Caps.fromString(caps));
            currentCaps = caps;
        }
    }

    /**
     * Stamps the buffer from the exchange's timestamp headers, if it has a PTS header. A frame without a DTS header is
     * taken as one that decodes when it is presented, as every JPEG or raw frame does (appsrc would otherwise stamp
     * its DTS with the arrival time, out of step with the PTS).
     */
    private void stamp(Buffer buffer, Exchange exchange) {
        Long pts = exchange.getIn().getHeader(GstreamerConstants.PTS, Long.class);
        if (pts == null || pts < 0) {
            return; // appsrc's do-timestamp stamps it on arrival
        }
        if (lastHeaderPts < 0 || pts < lastHeaderPts) {
            // The first stamped frame, or a source whose timeline started again (a restarted pipeline): anchor the
            // header timeline to this pipeline's running time now.
            timestampOffset = runningTime() - pts;
        }
        lastHeaderPts = pts;
        buffer.setPresentationTimestamp(pts + timestampOffset);
        Long dts = exchange.getIn().getHeader(GstreamerConstants.DTS, Long.class);
        long shiftedDts = (dts != null && dts >= 0 ? dts : pts) + timestampOffset;
        if (shiftedDts >= 0) {
            buffer.setDecodeTimestamp(shiftedDts);
        }
        Long duration = exchange.getIn().getHeader(GstreamerConstants.DURATION, Long.class);
        if (duration != null && duration >= 0) {
            buffer.setDuration(duration);
        }
    }

    /** The pipeline's running time (clock time less base time), or 0 before it has a clock. */
    private long runningTime() {
        return PipelineClocks.read(pipeline, (clock, running) -> Math.max(0, clock.getTime() - running.getBaseTime()), 0);
    }

    @Override
    protected void doStop() throws Exception {
        if (pipeline != null) {
            source.endOfStream();
            if (!endOfStream.await(endpoint.getEosTimeout(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Pipeline {}: end of stream did not reach the sink within {} ms; stopping anyway",
                        endpoint.getName(), endpoint.getEosTimeout());
            }
            pipeline.stop();
            bus.disconnect(errorListener);
            bus.disconnect(eosListener);
            source.dispose();
            bus.dispose();
            pipeline.dispose();
            source = null;
            bus = null;
            pipeline = null;
            LOG.info("Stopped pipeline {} after {} frames", endpoint.getName(), framesPushed.sum());
        }
        super.doStop();
    }

    // Bus listeners run on gst1-java-core's one executor thread: record and return.

    private void onError(GstObject element, int code, String message) {
        lastError = "element " + (element != null ? element.getName() : "?") + ": " + message;
        LOG.warn("Pipeline {}: error from {}", endpoint.getName(), lastError);
        endOfStream.countDown(); // nothing more will flow: do not wait for an end of stream on stop
    }

    private void onEndOfStream(GstObject element) {
        endOfStream.countDown();
    }

    @ManagedAttribute(description = "Buffers pushed into the pipeline")
    public long getFramesPushed() {
        return framesPushed.sum();
    }

    @ManagedAttribute(description = "The last error the pipeline posted, naming the element")
    public String getLastError() {
        return lastError;
    }
}
