package dev.mjpegrtp.camel.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

import dev.mjpegrtp.camel.server.ServerEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Serves the frames sent to it over HTTP at {@code http://host:port/path}: {@code path.mjpeg} as
 * {@code multipart/x-mixed-replace} (browsers' {@code <img>}, ffplay, VLC, Home Assistant, Frigate), {@code path.jpg}
 * the latest frame, {@code path} a page showing the stream. The path is served while at least one producer of the
 * endpoint runs; its metrics are JMX attributes and, with camel-health, the details of a readiness check.
 */
@ManagedResource(description = "An HTTP MJPEG stream and its viewers")
@UriEndpoint(firstVersion = "0.1.0", scheme = "http-mjpeg", title = "HTTP MJPEG", syntax = "http-mjpeg:host:port/path",
             producerOnly = true, category = { Category.NETWORKING })
public class HttpMjpegEndpoint extends ServerEndpoint<HttpMjpegConfiguration, HttpMjpegServer, HttpMjpegStream> {

    private static final String[] VIEWER_ITEMS = {"client", "seconds", "framesSent", "framesSkipped", "bytesSent"};
    private static final OpenType<?>[] VIEWER_TYPES = {SimpleType.STRING, SimpleType.LONG, SimpleType.LONG,
        SimpleType.LONG, SimpleType.LONG};

    @UriParam
    private HttpMjpegConfiguration configuration;

    private final AtomicLong framesRejected = new AtomicLong();

    public HttpMjpegEndpoint(String uri, HttpMjpegComponent component, HttpMjpegConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new HttpMjpegProducer(this);
    }

    @Override
    protected HttpMjpegStream serve(HttpMjpegServer server) {
        HttpMjpegStream stream = new HttpMjpegStream(configuration);
        server.addStream(stream);
        return stream;
    }

    /** Its viewers are disconnected. */
    @Override
    protected void unserve(HttpMjpegServer server, HttpMjpegStream stream) {
        server.removeStream(stream);
    }

    @Override
    protected Map<String, Object> healthDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("viewers", getViewers());
        details.put("viewersRejected", getViewersRejected());
        details.put("framesPublished", getFramesPublished());
        details.put("framesSent", getFramesSent());
        details.put("framesSkipped", getFramesSkipped());
        details.put("bytesSent", getBytesSent());
        return details;
    }

    @Override
    protected String servedUrls() {
        return getUrl() + " (stream " + getUrl() + ".mjpeg, latest frame " + getUrl() + ".jpg)";
    }

    /** Counts a body that was no JPEG. */
    void frameRejected() {
        framesRejected.incrementAndGet();
    }

    @Override
    @ManagedAttribute(description = "The URL of the path's page; its stream is at URL.mjpeg, its latest frame at URL.jpg")
    public String getUrl() {
        return (configuration.tlsOptions().enabled() ? "https://" : "http://") + (configuration.getHost().contains(":") ? "[" + configuration.getHost() + "]"
                : configuration.getHost()) + ":" + configuration.getPort() + "/" + configuration.getPath();
    }

    @ManagedAttribute(description = "Viewers of the path's .mjpeg stream now")
    public synchronized int getViewers() {
        return stream() == null ? 0 : stream().viewerCount();
    }

    @ManagedAttribute(description = "Frames the route sent to this path")
    public synchronized long getFramesPublished() {
        return stream() == null ? 0 : stream().framesPublished();
    }

    @ManagedAttribute(description = "Bodies the route sent to this path that were no JPEG (refused with "
                                    + "InvalidJpegException)")
    public long getFramesRejected() {
        return framesRejected.get();
    }

    @ManagedAttribute(description = "Frames the route sent to this path in the last whole second; 0 two seconds after "
                                    + "the last one")
    public synchronized double getCurrentFps() {
        return stream() == null ? 0 : stream().framesPerSecond();
    }

    @ManagedAttribute(description = "JPEG bytes of the last frame the route sent to this path")
    public synchronized int getLastFrameSize() {
        return stream() == null ? 0 : stream().lastFrameSize();
    }

    @ManagedAttribute(description = "Frames sent to .mjpeg viewers, all viewers since the path started together")
    public synchronized long getFramesSent() {
        return stream() == null ? 0 : stream().framesSent();
    }

    @ManagedAttribute(description = "Frames .mjpeg viewers skipped because their previous frame was still being "
                                    + "written (a slow viewer gets the newest frame, never a backlog), all viewers "
                                    + "together")
    public synchronized long getFramesSkipped() {
        return stream() == null ? 0 : stream().framesSkipped();
    }

    @ManagedAttribute(description = "Bytes sent to .mjpeg viewers (multipart headers and JPEGs), all viewers together")
    public synchronized long getBytesSent() {
        return stream() == null ? 0 : stream().bytesSent();
    }

    @ManagedAttribute(description = "Latest frames served as .jpg snapshots (304 Not Modified answers not counted)")
    public synchronized long getSnapshotsServed() {
        return stream() == null ? 0 : stream().snapshotsServed();
    }

    @ManagedAttribute(description = ".mjpeg requests refused with 503 because the path served maxViewers already")
    public synchronized long getViewersRejected() {
        return stream() == null ? 0 : stream().viewersRejected();
    }

    @ManagedAttribute(description = "Viewers of any path of this path's server disconnected because their frame waited "
                                    + "longer than the viewer timeout")
    public synchronized long getViewersStalled() {
        return server() == null ? 0 : server().viewersStalled();
    }




    @ManagedOperation(description = "One row per .mjpeg viewer: client, seconds connected, frames sent and skipped, "
                                    + "bytes sent")
    public synchronized TabularData viewerStatistics() throws OpenDataException {
        CompositeType row = new CompositeType("viewer", "An HTTP MJPEG viewer", VIEWER_ITEMS, VIEWER_ITEMS,
                VIEWER_TYPES);
        TabularDataSupport table = new TabularDataSupport(new TabularType("viewers", "HTTP MJPEG viewers", row,
                new String[] {"client"}));
        HttpMjpegStream stream = stream();
        if (stream == null) {
            return table;
        }
        long now = System.nanoTime();
        for (MjpegViewer viewer : stream.viewers()) {
            table.put(new CompositeDataSupport(row, VIEWER_ITEMS, new Object[] {
                viewer.client().getAddress().getHostAddress() + ":" + viewer.client().getPort(),
                (now - viewer.connectedNanos()) / 1_000_000_000L, viewer.framesSent(), viewer.framesSkipped(),
                viewer.bytesSent()}));
        }
        return table;
    }

    @Override
    public HttpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HttpMjpegConfiguration configuration) {
        this.configuration = configuration;
    }
}
