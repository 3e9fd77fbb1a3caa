package dev.mjpegrtp.camel.rtsp;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.camel.server.ServerEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Serves the frames sent to it as an RTSP stream at {@code rtsp://host:port/path}, for VLC, ffplay, GStreamer and
 * NVRs. The path is served while at least one producer of the endpoint runs; its metrics are JMX attributes and,
 * with camel-health, the details of a readiness check.
 */
@ManagedResource(description = "An RTSP MJPEG stream and its viewers")
@UriEndpoint(firstVersion = "0.1.0", scheme = "rtsp-mjpeg", title = "RTSP MJPEG", syntax = "rtsp-mjpeg:host:port/path",
             producerOnly = true, category = { Category.NETWORKING }, headersClass = RtspMjpegConstants.class)
public class RtspMjpegEndpoint extends ServerEndpoint<RtspMjpegConfiguration, RtspServer, RtspStream> {

    private static final String[] VIEWER_ITEMS = {"session", "client", "transport", "playing", "framesSent",
        "framesDropped", "bytesSent", "fractionLost", "jitter"};
    private static final OpenType<?>[] VIEWER_TYPES = {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
        SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.INTEGER, SimpleType.LONG};

    @UriParam
    private RtspMjpegConfiguration configuration;

    public RtspMjpegEndpoint(String uri, RtspMjpegComponent component, RtspMjpegConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new RtspMjpegProducer(this);
    }

    @Override
    protected RtspStream serve(RtspServer server) {
        RtspStream stream = new RtspStream(configuration);
        server.addStream(stream);
        return stream;
    }

    /** Its viewers get an RTCP BYE. */
    @Override
    protected void unserve(RtspServer server, RtspStream stream) {
        server.removeStream(stream);
    }

    @Override
    protected Map<String, Object> healthDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("viewers", getViewers());
        details.put("playingViewers", getPlayingViewers());
        details.put("viewersRejected", getViewersRejected());
        details.put("framesPublished", getFramesPublished());
        details.put("framesSent", getFramesSent());
        details.put("framesDropped", getFramesDropped());
        details.put("bytesSent", getBytesSent());
        return details;
    }

    @Override
    @ManagedAttribute(description = "The URL viewers open")
    public String getUrl() {
        return (configuration.tlsOptions().enabled() ? "rtsps://" : "rtsp://") + (configuration.getHost().contains(":") ? "[" + configuration.getHost() + "]"
                : configuration.getHost()) + ":" + configuration.getPort() + "/" + StreamPath.normalize(configuration.getPath());
    }

    @ManagedAttribute(description = "Viewers with a session on this path")
    public synchronized int getViewers() {
        return stream() == null ? 0 : stream().sessions().size();
    }

    @ManagedAttribute(description = "Viewers with a session on this path whose RTP goes over their RTSP connection "
                                    + "(TCP); the others receive it over UDP")
    public synchronized int getInterleavedViewers() {
        return stream() == null ? 0 : (int) stream().sessions().stream().filter(RtspSession::interleaved).count();
    }

    @ManagedAttribute(description = "Viewers being sent frames now (not paused)")
    public synchronized int getPlayingViewers() {
        return stream() == null ? 0 : stream().playingViewers();
    }

    @ManagedAttribute(description = "Frames the route sent to this path")
    public synchronized long getFramesPublished() {
        return stream() == null ? 0 : stream().framesPublished();
    }

    @ManagedAttribute(description = "Frames the route sent to this path in the last whole second; 0 two seconds after "
                                    + "the last one")
    public synchronized double getCurrentFps() {
        return stream() == null ? 0 : stream().frameRate().framesPerSecond();
    }

    @ManagedAttribute(description = "RTP payload bytes of the last frame the route sent to this path")
    public synchronized int getLastFrameSize() {
        return stream() == null ? 0 : stream().frameRate().lastFrameSize();
    }

    @ManagedAttribute(description = "Frames sent to viewers, all viewers since the path started together")
    public synchronized long getFramesSent() {
        return stream() == null ? 0 : stream().totals().framesSent();
    }

    @ManagedAttribute(description = "Frames dropped because a viewer was too far behind, all viewers together")
    public synchronized long getFramesDropped() {
        return stream() == null ? 0 : stream().totals().framesDropped();
    }

    @ManagedAttribute(description = "Bytes sent to viewers (RTP headers and payload), all viewers together")
    public synchronized long getBytesSent() {
        return stream() == null ? 0 : stream().totals().bytesSent();
    }

    @ManagedAttribute(description = "SETUPs refused with 503 because the path served maxViewers already")
    public synchronized long getViewersRejected() {
        return stream() == null ? 0 : stream().viewersRejected();
    }


    @ManagedAttribute(description = "RTSP connections the path's server closed because their client read no "
                                    + "responses")
    public synchronized long getConnectionsNotReading() {
        return server() == null ? 0 : server().connectionsNotReading();
    }

    @ManagedAttribute(description = "SETUPs the path's server refused with 503 because the client's address held "
                                    + "maxSessionsPerAddress")
    public synchronized long getSessionsRefusedPerAddress() {
        return server() == null ? 0 : server().sessionsRefusedPerAddress();
    }

    @ManagedAttribute(description = "Sessions the path's server ended because they were not played within the "
                                    + "setupTimeout")
    public synchronized long getSessionsNeverPlayed() {
        return server() == null ? 0 : server().sessionsNeverPlayed();
    }



    @ManagedOperation(description = "One row per viewer: session, client, transport, seconds since SETUP, frames "
                                    + "sent and dropped, bytes sent, and from its last RTCP report the fraction lost "
                                    + "(1/256ths, -1 before the first) and the jitter (90 kHz ticks)")
    public synchronized TabularData viewerStatistics() throws OpenDataException {
        CompositeType row = new CompositeType("viewer", "An RTSP viewer", VIEWER_ITEMS, VIEWER_ITEMS, VIEWER_TYPES);
        TabularDataSupport table = new TabularDataSupport(new TabularType("viewers", "RTSP viewers", row,
                new String[] {"session"}));
        RtspStream stream = stream();
        if (stream == null) {
            return table;
        }
        long now = System.nanoTime();
        for (RtspSession session : stream.sessions()) {
            RtpViewer viewer = session.viewer();
            Rtcp.ReportBlock report = viewer.lastReport();
            table.put(new CompositeDataSupport(row, VIEWER_ITEMS, new Object[] {session.id(),
                session.client().getAddress().getHostAddress() + ":" + session.client().getPort(),
                viewer.sink().describe(), (now - session.createdNanos()) / 1_000_000_000L, viewer.framesSent(),
                viewer.framesDropped(), viewer.bytesSent(), report == null ? -1 : report.fractionLost(),
                report == null ? 0L : report.jitter()}));
        }
        return table;
    }

    @Override
    public RtspMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RtspMjpegConfiguration configuration) {
        this.configuration = configuration;
    }
}
