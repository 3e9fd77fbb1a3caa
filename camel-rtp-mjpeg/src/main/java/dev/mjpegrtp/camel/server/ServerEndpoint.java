package dev.mjpegrtp.camel.server;

import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint that is one path of a server its component shares per host:port. The path is served while at least one
 * producer of the endpoint runs; its metrics are JMX attributes and, with camel-health, the details of a readiness
 * check.
 *
 * @param <C> the endpoint's configuration
 * @param <S> the server the path is on
 * @param <T> the path's stream, which the producers publish frames to
 */
public abstract class ServerEndpoint<C extends ServerConfiguration, S extends TcpServer<C>, T> extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ServerEndpoint.class);

    private S server;
    private T stream;
    private StreamHealthCheck healthCheck;
    private int producers;

    protected ServerEndpoint(String uri, Component component) {
        super(uri, component);
    }

    public abstract C getConfiguration();

    /** The URL viewers open. */
    public abstract String getUrl();

    /** What the log says the path serves: its URL, and the URLs beside it that viewers open. */
    protected String servedUrls() {
        return getUrl();
    }

    /** A new stream for the path, served on {@code server}; throws when the server serves the path already. */
    protected abstract T serve(S server);

    /** Stops serving the stream on {@code server}: its viewers are let go. */
    protected abstract void unserve(S server, T stream);

    /** The path's figures for its health check, the same as its JMX attributes. */
    protected abstract Map<String, Object> healthDetails();

    @Override
    @SuppressWarnings("unchecked")
    public ServerComponent<C, S> getComponent() {
        return (ServerComponent<C, S>) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getComponent().scheme() + " serves streams and cannot consume: "
                + URISupport.sanitizeUri(getEndpointUri()));
    }

    /** Starts serving the path (and the server, if it is the first path on it) for a producer. */
    public synchronized T openStream() {
        if (producers == 0) {
            S acquired = getComponent().acquireServer(getConfiguration());
            try {
                stream = serve(acquired);
            } catch (RuntimeException e) {
                getComponent().releaseServer(acquired);
                throw e;
            }
            server = acquired;
            HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
            if (registry != null) {
                healthCheck = new StreamHealthCheck(getComponent().scheme(), this);
                registry.register(healthCheck);
            }
            LOG.info("Serving {}", servedUrls());
        }
        producers++;
        return stream;
    }

    /** Stops serving the path when its last producer stops. */
    public synchronized void closeStream() {
        if (--producers == 0) {
            if (healthCheck != null) {
                HealthCheckRegistry.get(getCamelContext()).unregister(healthCheck);
                healthCheck = null;
            }
            unserve(server, stream);
            getComponent().releaseServer(server);
            LOG.info("Stopped serving {}", getUrl());
            server = null;
            stream = null;
        }
    }

    /** The server the path is on, null while no producer runs. */
    protected final synchronized S server() {
        return server;
    }

    /** The path's stream, null while no producer runs. */
    protected final synchronized T stream() {
        return stream;
    }

    @ManagedAttribute(description = "Whether the path's server is listening for viewers")
    public synchronized boolean isListening() {
        return server != null && server.isListening();
    }

    @ManagedAttribute(description = "Connections the path's server refused: it held maxConnections, or the client's "
                                    + "address held maxConnectionsPerAddress")
    public synchronized long getConnectionsRefused() {
        return server == null ? 0 : server.connectionsRefused();
    }

    @ManagedAttribute(description = "TLS handshakes that failed on the path's server: a client that does not speak "
                                    + "TLS, does not trust the certificate, has no client certificate where one is "
                                    + "required, or did not finish within tlsHandshakeTimeout")
    public synchronized long getTlsHandshakesFailed() {
        return server == null ? 0 : server.tlsHandshakesFailed();
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
}
