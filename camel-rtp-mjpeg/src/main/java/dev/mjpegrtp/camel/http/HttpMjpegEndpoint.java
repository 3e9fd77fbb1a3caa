package dev.mjpegrtp.camel.http;

import java.util.concurrent.atomic.AtomicLong;

import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the frames sent to it over HTTP at {@code http://host:port/path} ({@code https://} with TLS): {@code path.mjpeg} as
 * {@code multipart/x-mixed-replace} (browsers' {@code <img>}, ffplay, VLC, Home Assistant, Frigate), {@code path.jpg}
 * the latest frame, {@code path} a page showing the stream. The path is served while at least one producer of the
 * endpoint runs; its metrics are JMX attributes and, with camel-health, the details of a readiness check.
 */
@ManagedResource(description = "An HTTP MJPEG stream and its viewers")
@UriEndpoint(firstVersion = "0.1.0", scheme = "http-mjpeg", title = "HTTP MJPEG", syntax = "http-mjpeg:host:port/path",
             producerOnly = true, category = { Category.NETWORKING })
public class HttpMjpegEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMjpegEndpoint.class);
    private static final String[] VIEWER_ITEMS = {"client", "seconds", "framesSent", "framesSkipped", "bytesSent"};
    private static final OpenType<?>[] VIEWER_TYPES = {SimpleType.STRING, SimpleType.LONG, SimpleType.LONG,
        SimpleType.LONG, SimpleType.LONG};

    @UriParam
    private HttpMjpegConfiguration configuration;

    private final AtomicLong framesRejected = new AtomicLong();
    private HttpMjpegServer server;
    private HttpMjpegStream stream;
    private HttpMjpegStreamHealthCheck healthCheck;
    private int producers;

    public HttpMjpegEndpoint(String uri, HttpMjpegComponent component, HttpMjpegConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new HttpMjpegProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("http-mjpeg serves streams and cannot consume: "
                + URISupport.sanitizeUri(getEndpointUri()));
    }

    @Override
    public HttpMjpegComponent getComponent() {
        return (HttpMjpegComponent) super.getComponent();
    }

    /** Starts serving the path (and the server, if it is the first path on it) for a producer. */
    synchronized HttpMjpegStream openStream() throws Exception {
        if (producers == 0) {
            HttpMjpegServer acquired = getComponent().acquireServer(configuration.getHost(), configuration.getPort(),
                    configuration.tlsOptions());
            HttpMjpegStream opened = new HttpMjpegStream(configuration);
            try {
                acquired.addStream(opened);
            } catch (RuntimeException e) {
                getComponent().releaseServer(acquired);
                throw e;
            }
            server = acquired;
            stream = opened;
            HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
            if (registry != null) {
                healthCheck = new HttpMjpegStreamHealthCheck(this);
                registry.register(healthCheck);
            }
            LOG.info("Serving {} (stream {}.mjpeg, latest frame {}.jpg)", getUrl(), getUrl(), getUrl());
        }
        producers++;
        return stream;
    }

    /** Stops serving the path when its last producer stops; its viewers are disconnected. */
    synchronized void closeStream() {
        if (--producers == 0) {
            if (healthCheck != null) {
                HealthCheckRegistry.get(getCamelContext()).unregister(healthCheck);
                healthCheck = null;
            }
            server.removeStream(stream);
            getComponent().releaseServer(server);
            LOG.info("Stopped serving {}", getUrl());
            server = null;
            stream = null;
        }
    }

    /** Counts a body that was no JPEG. */
    void frameRejected() {
        framesRejected.incrementAndGet();
    }

    @ManagedAttribute(description = "The URL of the path's page; its stream is at URL.mjpeg, its latest frame at URL.jpg")
    public String getUrl() {
        return (configuration.tlsOptions().enabled() ? "https://" : "http://") + (configuration.getHost().contains(":") ? "[" + configuration.getHost() + "]"
                : configuration.getHost()) + ":" + configuration.getPort() + "/" + configuration.getPath();
    }

    @ManagedAttribute(description = "TLS handshakes that failed on the path's server: a client that does not "
                                    + "speak TLS, does not trust the certificate, has no client certificate where one "
                                    + "is required, or did not finish within tlsHandshakeTimeout")
    public synchronized long getTlsHandshakesFailed() {
        return server == null ? 0 : server.tlsHandshakesFailed();
    }

    @ManagedAttribute(description = "Whether the path's HTTP server is listening")
    public synchronized boolean isListening() {
        return server != null && server.isListening();
    }

    @ManagedAttribute(description = "Viewers of the path's .mjpeg stream now")
    public synchronized int getViewers() {
        return stream == null ? 0 : stream.viewerCount();
    }

    @ManagedAttribute(description = "Frames the route sent to this path")
    public synchronized long getFramesPublished() {
        return stream == null ? 0 : stream.framesPublished();
    }

    @ManagedAttribute(description = "Bodies the route sent to this path that were no JPEG (refused with "
                                    + "InvalidJpegException)")
    public long getFramesRejected() {
        return framesRejected.get();
    }

    @ManagedAttribute(description = "Frames the route sent to this path in the last whole second; 0 two seconds after "
                                    + "the last one")
    public synchronized double getCurrentFps() {
        return stream == null ? 0 : stream.framesPerSecond();
    }

    @ManagedAttribute(description = "JPEG bytes of the last frame the route sent to this path")
    public synchronized int getLastFrameSize() {
        return stream == null ? 0 : stream.lastFrameSize();
    }

    @ManagedAttribute(description = "Frames sent to .mjpeg viewers, all viewers since the path started together")
    public synchronized long getFramesSent() {
        return stream == null ? 0 : stream.framesSent();
    }

    @ManagedAttribute(description = "Frames .mjpeg viewers skipped because their previous frame was still being "
                                    + "written (a slow viewer gets the newest frame, never a backlog), all viewers "
                                    + "together")
    public synchronized long getFramesSkipped() {
        return stream == null ? 0 : stream.framesSkipped();
    }

    @ManagedAttribute(description = "Bytes sent to .mjpeg viewers (multipart headers and JPEGs), all viewers together")
    public synchronized long getBytesSent() {
        return stream == null ? 0 : stream.bytesSent();
    }

    @ManagedAttribute(description = "Latest frames served as .jpg snapshots (304 Not Modified answers not counted)")
    public synchronized long getSnapshotsServed() {
        return stream == null ? 0 : stream.snapshotsServed();
    }

    @ManagedAttribute(description = ".mjpeg requests refused with 503 because the path served maxViewers already")
    public synchronized long getViewersRejected() {
        return stream == null ? 0 : stream.viewersRejected();
    }

    @ManagedAttribute(description = "Viewers of any path of this path's server disconnected because their frame waited "
                                    + "longer than the viewer timeout")
    public synchronized long getViewersStalled() {
        return server == null ? 0 : server.viewersStalled();
    }

    @ManagedAttribute(description = "HTTP connections the path's server refused: it held maxConnections, or the "
                                    + "client's address held maxConnectionsPerAddress")
    public synchronized long getConnectionsRefused() {
        return server == null ? 0 : server.connectionsRefused();
    }

    @ManagedAttribute(description = "Failed authentications (wrong credentials, or an address allowedClients "
                                    + "refuses) on every path of this path's server since it started")
    public synchronized long getAuthenticationFailures() {
        return server == null ? 0 : server.authenticationThrottle().failures();
    }

    @ManagedAttribute(description = "Requests refused with 503 on every path of this path's server because their "
                                    + "address had failed maxAuthenticationFailures times within a minute")
    public synchronized long getAuthenticationsThrottled() {
        return server == null ? 0 : server.authenticationThrottle().throttled();
    }

    @ManagedOperation(description = "One row per .mjpeg viewer: client, seconds connected, frames sent and skipped, "
                                    + "bytes sent")
    public synchronized TabularData viewerStatistics() throws OpenDataException {
        CompositeType row = new CompositeType("viewer", "An HTTP MJPEG viewer", VIEWER_ITEMS, VIEWER_ITEMS,
                VIEWER_TYPES);
        TabularDataSupport table = new TabularDataSupport(new TabularType("viewers", "HTTP MJPEG viewers", row,
                new String[] {"client"}));
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

    public HttpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HttpMjpegConfiguration configuration) {
        this.configuration = configuration;
    }
}
