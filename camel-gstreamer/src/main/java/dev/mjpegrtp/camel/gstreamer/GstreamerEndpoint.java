package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Runs a GStreamer pipeline. The consumer appends an appsink to the gst-launch description and emits each buffer that
 * reaches it as an exchange; the producer pushes each exchange's body into the appsrc that starts the description.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "gstreamer", title = "GStreamer", syntax = "gstreamer:name",
             category = { Category.IOT, Category.TRANSFORMATION }, headersClass = GstreamerConstants.class)
public class GstreamerEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for the pipeline, used in thread names and logs.")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "The pipeline in gst-launch-1.0 syntax. Consumer: without the sink, the component "
              + "appends an appsink. Producer: starting with appsrc, which the component feeds. Wrap it in RAW(...) "
              + "in a URI, because it holds '!', spaces and '='.")
    @Metadata(required = true)
    private String pipeline;
    @UriParam(defaultValue = "image/jpeg", description = "Consumer: caps the appsink accepts; the pipeline must "
              + "produce them. Producer: caps of the buffers pushed into appsrc, e.g. image/jpeg,framerate=30/1, "
              + "until an exchange's CamelGStreamerCaps header (from a gstreamer: consumer) says otherwise.")
    private String caps = "image/jpeg";
    @UriParam(label = "consumer,advanced", defaultValue = "2", description = "Buffers the appsink queues while the route is "
              + "busy; with drop=true the oldest is dropped beyond this, so a slow route never stalls the pipeline.")
    private int maxBuffers = 2;
    @UriParam(label = "consumer,advanced", defaultValue = "true", description = "Drop the oldest queued buffer when the appsink "
              + "is full instead of blocking the pipeline.")
    private boolean drop = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Restart the pipeline when it posts an error, with exponential "
              + "backoff from one second up to maxRestartDelay.")
    private boolean restartOnError = true;
    @UriParam(label = "consumer", defaultValue = "false", description = "Restart the pipeline when it reaches end of stream (to loop a "
              + "file, say).")
    private boolean restartOnEos;
    @UriParam(label = "consumer,advanced", defaultValue = "30000", description = "Longest wait between restarts, in "
              + "milliseconds.")
    private long maxRestartDelay = 30_000;
    @UriParam(label = "consumer", defaultValue = "-1", description = "Restarts in a row, without a frame in between, "
              + "after which the consumer gives up: it stops the pipeline and hands a GstreamerPipelineException naming "
              + "the element to the route's error handling (set bridgeErrorHandler=true for onException to see it). "
              + "-1 restarts without limit.")
    private int maxRestarts = -1;
    @UriParam(label = "consumer,advanced", defaultValue = "false", description = "No effect, kept so that routes "
              + "setting it still start: every frame's array comes from a pool and is reused once the exchange is done "
              + "with it, unless the route copied the exchange (see the component's page).")
    @Deprecated
    private boolean reuseBuffer;
    @UriParam(label = "consumer,advanced", defaultValue = "0", description = "Consumer, on Linux: 1-99 puts the thread "
              + "that pulls the frames and runs the route in the real-time scheduler (SCHED_FIFO) at this priority, so "
              + "that no ordinary thread of the machine delays a frame between the pull and the end of the route; it "
              + "needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least this value, and without them the thread stays in the "
              + "ordinary scheduler with a warning. 0: the ordinary scheduler. Defaults to the component's.")
    private int realtimePriority;
    @UriParam(label = "advanced", defaultValue = "5000", description = "On stop, how long to wait for the end of stream "
              + "to reach the sinks, so that muxers can finish their files, in milliseconds.")
    private long eosTimeout = 5000;

    public GstreamerEndpoint(String uri, GstreamerComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        requirePipeline();
        return new GstreamerProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        requirePipeline();
        GstreamerConsumer consumer = new GstreamerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    private void requirePipeline() {
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException("the pipeline option is required: " + getEndpointUri());
        }
    }

    public int getRealtimePriority() {
        return realtimePriority;
    }

    public void setRealtimePriority(int realtimePriority) {
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("realtimePriority must be 0 (the ordinary scheduler) or 1-99, not "
                    + realtimePriority);
        }
        this.realtimePriority = realtimePriority;
    }

    public long getEosTimeout() {
        return eosTimeout;
    }

    public void setEosTimeout(long eosTimeout) {
        this.eosTimeout = eosTimeout;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPipeline() {
        return pipeline;
    }

    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
    }

    public String getCaps() {
        return caps;
    }

    public void setCaps(String caps) {
        this.caps = caps;
    }

    public int getMaxBuffers() {
        return maxBuffers;
    }

    public void setMaxBuffers(int maxBuffers) {
        this.maxBuffers = maxBuffers;
    }

    @Deprecated
    public boolean isReuseBuffer() {
        return reuseBuffer;
    }

    @Deprecated
    public void setReuseBuffer(boolean reuseBuffer) {
        this.reuseBuffer = reuseBuffer;
    }

    public boolean isDrop() {
        return drop;
    }

    public void setDrop(boolean drop) {
        this.drop = drop;
    }

    public boolean isRestartOnError() {
        return restartOnError;
    }

    public void setRestartOnError(boolean restartOnError) {
        this.restartOnError = restartOnError;
    }

    public boolean isRestartOnEos() {
        return restartOnEos;
    }

    public void setRestartOnEos(boolean restartOnEos) {
        this.restartOnEos = restartOnEos;
    }

    public int getMaxRestarts() {
        return maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
        this.maxRestarts = maxRestarts;
    }

    public long getMaxRestartDelay() {
        return maxRestartDelay;
    }

    public void setMaxRestartDelay(long maxRestartDelay) {
        this.maxRestartDelay = maxRestartDelay;
    }
}
