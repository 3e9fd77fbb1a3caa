package dev.mjpegrtp.camel.gstreamer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * The endpoint's pipeline with an appsink at its end, and the bus listeners watching it. The pipeline, its bus, its
 * appsink, its sources and the listeners are held here from {@link #build} to {@link #release}, so that the garbage
 * collector cannot dispose them underneath GStreamer while it runs.
 */
final class AppsinkPipeline {

    private static final String SINK_NAME = "camel_appsink";
    /** A last element that is an appsink with a name: the user's own sink, configured as they wrote it. */
    private static final Pattern NAMED_APPSINK = Pattern.compile("(?:^|!)\\s*appsink\\b[^!]*?\\bname\\s*=\\s*\"?([\\w-]+)\"?[^!]*$");

    private final Pipeline pipeline;
    private final AppSink sink;
    private final Pointer sinkPointer;
    /** The pipeline's top-level source elements, which {@link #play} sets playing themselves. */
    private final List<Element> sources;
    private final Bus bus;
    private final Bus.ERROR errorListener;
    private final Bus.EOS eosListener;
    private final Bus.WARNING warningListener;

    private AppsinkPipeline(Pipeline pipeline, AppSink sink, Bus.ERROR errorListener, Bus.EOS eosListener,
            Bus.WARNING warningListener) {
        this.pipeline = pipeline;
        this.sink = sink;
        this.sinkPointer = Natives.getRawPointer(sink);
        this.sources = pipeline.getSources();
        this.errorListener = errorListener;
        this.eosListener = eosListener;
        this.warningListener = warningListener;
        bus = pipeline.getBus();
        bus.connect(errorListener);
        bus.connect(eosListener);
        bus.connect(warningListener);
    }

    /**
     * Builds the endpoint's pipeline, named {@code name} in its errors, ending in an appsink of ours unless the
     * description ends in a named one, and connects the listeners to its bus. Frames are pulled on a thread of the
     * caller's, never pushed through signals.
     */
    static AppsinkPipeline build(GstreamerEndpoint endpoint, String name, Bus.ERROR errorListener, Bus.EOS eosListener,
            Bus.WARNING warningListener) {
        String sinkName = namedAppsink(endpoint.getPipeline());
        String description = sinkName != null ? endpoint.getPipeline() : endpoint.getPipeline() + " ! appsink name=" + SINK_NAME;
        Pipeline pipeline = GstreamerPipelines.build(name, description);
        AppSink sink = (AppSink) pipeline.getElementByName(sinkName != null ? sinkName : SINK_NAME);
        sink.set("emit-signals", false);
        if (sinkName == null) {
            // Our own appsink; a user's keeps the properties they gave it.
            sink.set("sync", false);
            sink.set("max-buffers", endpoint.getMaxBuffers());
            sink.set("drop", endpoint.isDrop());
            sink.setCaps(Caps.fromString(endpoint.getCaps()));
        }
        return new AppsinkPipeline(pipeline, sink, errorListener, eosListener, warningListener);
    }

    /** The name of the appsink a description ends with ({@code ... ! appsink name=out}), or null when it has none. */
    static String namedAppsink(String description) {
        Matcher matcher = NAMED_APPSINK.matcher(description);
        return matcher.find() ? matcher.group(1) : null;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** The appsink's native pointer, for the direct-mapped pull: valid until {@link #release}. */
    Pointer sink() {
        return sinkPointer;
    }

    /**
     * Plays the pipeline, and then each of its sources. A pause that never completed leaves the pipeline PLAYING on
     * its way to PAUSED, and setting such a pipeline PLAYING again does not reach its sources: an rtspsrc whose camera
     * was paused (RTSP PAUSE) then waits for a frame the camera no longer sends, so the pipeline never plays again and
     * an end of stream never reaches the sinks. Setting a source that already plays to PLAYING does nothing.
     */
    StateChangeReturn play() {
        StateChangeReturn result = pipeline.play();
        if (result != StateChangeReturn.FAILURE) {
            for (Element source : sources) {
                source.play();
            }
        }
        return result;
    }

    /**
     * Stops the pipeline, disconnects the listeners and disposes the appsink, the sources, the bus and the pipeline,
     * in that order.
     */
    void release() {
        pipeline.stop();
        bus.disconnect(errorListener);
        bus.disconnect(eosListener);
        bus.disconnect(warningListener);
        sink.dispose();
        for (Element source : sources) {
            source.dispose();
        }
        bus.dispose();
        pipeline.dispose();
    }
}
