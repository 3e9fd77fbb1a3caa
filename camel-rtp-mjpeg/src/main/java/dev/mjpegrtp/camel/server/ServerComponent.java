package dev.mjpegrtp.camel.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.HostAndPort;
import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * A component whose endpoints are paths of servers: endpoints on the same host:port share one server, started with
 * the first of them and stopped with the last; all servers of the component share one Netty event loop group. Holds
 * the options every server has.
 *
 * @param <C> the component's endpoint configuration
 * @param <S> the component's server
 */
public abstract class ServerComponent<C extends ServerConfiguration, S extends TcpServer<C>> extends DefaultComponent
        implements SSLContextParametersAware {

    @Metadata(label = "advanced", defaultValue = "2", description = "Netty I/O threads shared by all servers of the "
              + "component: connections and viewers are spread over them.")
    private int ioThreads = 2;
    @Metadata(label = "security", defaultValue = "256", description = "Connections one server holds open at once, "
              + "viewers included; more are refused.")
    private int maxConnections = 256;
    @Metadata(label = "security", defaultValue = "16", description = "Connections one server holds open at once from "
              + "one client address; more from that address are refused, so that one client cannot take every "
              + "connection. Clients behind one NAT or proxy share an address and this limit.")
    private int maxConnectionsPerAddress = 16;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A "
              + "connection that holds no viewer and sends nothing for this long is closed: connections that only "
              + "connected, idle HTTP keep-alive connections and requests that trickle in byte by byte alike. An RTSP "
              + "connection holding a session is kept for the sessionTimeout.")
    private long connectionIdleTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "10", description = "Failed authentications (and requests from "
              + "addresses allowedClients refuses) one client address may make within a minute; after that its requests "
              + "to protected paths get 503 Service Unavailable with Retry-After until the minute is over.")
    private int maxAuthenticationFailures = 10;
    @Metadata(label = "security", defaultValue = "false", description = "Serve every path over TLS with the "
              + "CamelContext's global SSLContextParameters (camel-main: camel.ssl.*), as other Camel components "
              + "do, unless the endpoint names TLS options of its own.")
    private boolean useGlobalSslContextParameters;

    private final String scheme;
    private EventLoopGroup eventLoopGroup;
    private final Map<InetSocketAddress, SharedServer<S>> servers = new HashMap<>();

    /** @param scheme the component's scheme, which messages and thread names show */
    protected ServerComponent(String scheme) {
        this.scheme = scheme;
    }

    /**
     * A new server on {@code address}, not started, for a first endpoint with {@code configuration}.
     *
     * @param tls   the TLS of every connection, from the configuration's TLS options; null for plain TCP
     * @param group the component's event loops, which the server's sockets use
     */
    protected abstract S newServer(InetSocketAddress address, ServerLimits limits, ServerTls tls, C configuration,
                                   EventLoopGroup group);

    /** The template configuration every endpoint starts from: the component's configuration option. */
    protected abstract C getConfiguration();

    /** An endpoint with its own copy of the template, host, port and path set. */
    protected abstract ServerEndpoint<C, S, ?> newEndpoint(String uri, C configuration);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        @SuppressWarnings("unchecked")
        C configuration = (C) getConfiguration().copyOf();
        parseAddress(remaining, configuration);
        Endpoint endpoint = newEndpoint(uri, configuration);
        setProperties(endpoint, parameters);
        if (useGlobalSslContextParameters && !configuration.tlsOptions().enabled()) {
            configuration.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        configuration.validate();
        return endpoint;
    }

    /**
     * Sets host, port and path from the part of the endpoint URI after the scheme: {@code host:port/path}, an IPv6
     * host in brackets.
     */
    private void parseAddress(String remaining, ServerConfiguration configuration) {
        String syntax = scheme + ":host:port/path";
        String text = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int hostEnd = text.startsWith("[") ? text.indexOf(']') : 0;
        int slash = text.indexOf('/', Math.max(hostEnd, 0));
        if (slash < 0) {
            throw new IllegalArgumentException("expected " + syntax + ", got: " + remaining);
        }
        HostAndPort address = HostAndPort.parse(text.substring(0, slash), syntax);
        configuration.setHost(address.host());
        configuration.setPort(address.port());
        configuration.setPath(text.substring(slash + 1));
    }

    /** The server for the configuration's host:port, started if this is its first user; give it back with {@link #releaseServer}. */
    public synchronized S acquireServer(C configuration) {
        InetSocketAddress address = new InetSocketAddress(resolve(configuration.getHost()), configuration.getPort());
        SharedServer<S> shared = servers.get(address);
        if (shared != null) {
            shared.server.requireCompatible(configuration);
        } else {
            if (eventLoopGroup == null) {
                eventLoopGroup = NettyTransport.newEventLoopGroup(ioThreads, scheme + "-io");
            }
            S server = newServer(address, new ServerLimits(maxConnections, maxConnectionsPerAddress,
                    connectionIdleTimeout, maxAuthenticationFailures),
                    ServerTls.of(configuration.tlsOptions(), getCamelContext()), configuration, eventLoopGroup);
            server.start();
            shared = new SharedServer<>(server);
            servers.put(address, shared);
        }
        shared.users++;
        return shared.server;
    }

    private InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(scheme + " host " + host + " does not resolve", e);
        }
    }

    /** Stops the server when its last user gives it back. */
    public synchronized void releaseServer(S server) {
        servers.values().removeIf(shared -> {
            if (shared.server != server || --shared.users > 0) {
                return false;
            }
            server.stop();
            return true;
        });
    }

    @Override
    protected synchronized void doStop() throws Exception {
        servers.values().forEach(shared -> shared.server.stop());
        servers.clear();
        if (eventLoopGroup != null) {
            eventLoopGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            eventLoopGroup = null;
        }
        super.doStop();
    }

    /** The component's scheme: rtsp-mjpeg, http-mjpeg. */
    public String scheme() {
        return scheme;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public long getConnectionIdleTimeout() {
        return connectionIdleTimeout;
    }

    public void setConnectionIdleTimeout(long connectionIdleTimeout) {
        this.connectionIdleTimeout = connectionIdleTimeout;
    }

    public int getMaxAuthenticationFailures() {
        return maxAuthenticationFailures;
    }

    public void setMaxAuthenticationFailures(int maxAuthenticationFailures) {
        this.maxAuthenticationFailures = maxAuthenticationFailures;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    /** A server and how many endpoints use it. */
    private static final class SharedServer<S> {
        private final S server;
        private int users;

        private SharedServer(S server) {
            this.server = server;
        }
    }
}
