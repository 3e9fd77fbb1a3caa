package dev.mjpegrtp.camel.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.HostAndPort;
import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.server.ServerTls;
import dev.mjpegrtp.camel.server.TlsOptions;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * Serves MJPEG streams over HTTP. Endpoints on the same host:port share one HTTP server, started with the first of
 * them and stopped with the last; all servers share one Netty event loop group.
 */
@Component("http-mjpeg")
public class HttpMjpegComponent extends DefaultComponent {

    private static final String SYNTAX = "http-mjpeg:host:port/path";

    @Metadata(description = "Options every endpoint starts from; URI parameters override them per endpoint.")
    private HttpMjpegConfiguration configuration = new HttpMjpegConfiguration();
    @Metadata(label = "advanced", defaultValue = "2", description = "Netty I/O threads shared by all HTTP servers "
              + "of the component: connections and viewers are spread over them.")
    private int ioThreads = 2;
    @Metadata(label = "security", defaultValue = "256", description = "HTTP connections one server holds open at "
              + "once, viewers included; more are refused.")
    private int maxConnections = 256;
    @Metadata(label = "security", defaultValue = "16", description = "HTTP connections one server holds open at "
              + "once from one client address; more from that address are refused, so that one client cannot take "
              + "every connection. Clients behind one NAT or proxy share an address and this limit.")
    private int maxConnectionsPerAddress = 16;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A "
              + "connection that serves no stream and completes no request for this long is closed: idle keep-alive "
              + "connections and requests that trickle in byte by byte alike.")
    private long connectionIdleTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "100", description = "Requests one keep-alive connection may make; "
              + "the answer to the last one closes it.")
    private int maxRequestsPerConnection = 100;
    @Metadata(label = "security", defaultValue = "10", description = "Failed authentications (and requests from "
              + "addresses allowedClients refuses) one client address may make within a minute; after that its requests "
              + "to protected paths get 503 Service Unavailable with Retry-After until the minute is over.")
    private int maxAuthenticationFailures = 10;

    private EventLoopGroup eventLoopGroup;
    private final Map<InetSocketAddress, SharedServer> servers = new HashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        HttpMjpegConfiguration config = configuration.copy();
        String text = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int hostEnd = text.startsWith("[") ? text.indexOf(']') : 0;
        int slash = text.indexOf('/', Math.max(hostEnd, 0));
        if (slash < 0) {
            throw new IllegalArgumentException("expected " + SYNTAX + ", got: " + remaining);
        }
        HostAndPort address = HostAndPort.parse(text.substring(0, slash), SYNTAX);
        config.setHost(address.host());
        config.setPort(address.port());
        config.setPath(text.substring(slash + 1));
        HttpMjpegEndpoint endpoint = new HttpMjpegEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        config.validate();
        return endpoint;
    }

    /**
     * The server for host:port, started if this is its first user; give it back with {@link #releaseServer}.
     *
     * @param tls the server's TLS options, which every path on it names alike
     */
    synchronized HttpMjpegServer acquireServer(String host, int port, TlsOptions tls) {
        InetSocketAddress address = new InetSocketAddress(resolve(host), port);
        SharedServer shared = servers.get(address);
        if (shared != null && !shared.tls.equals(tls)) {
            throw new IllegalStateException("http-mjpeg:" + host + ":" + port + " has TLS options (" + shared.tls
                    + ") for its other paths; all paths of one server must name the same TLS options, got (" + tls
                    + ")");
        }
        if (shared == null) {
            if (eventLoopGroup == null) {
                eventLoopGroup = NettyTransport.newEventLoopGroup(ioThreads, "http-mjpeg-io");
            }
            HttpMjpegServer server = new HttpMjpegServer(address, new HttpServerSettings(maxConnections,
                    maxConnectionsPerAddress, connectionIdleTimeout, maxRequestsPerConnection, maxAuthenticationFailures),
                    ServerTls.of(tls, getCamelContext()), eventLoopGroup);
            server.start();
            shared = new SharedServer(server, tls);
            servers.put(address, shared);
        }
        shared.users++;
        return shared.server;
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("http-mjpeg host " + host + " does not resolve", e);
        }
    }

    /** Stops the server when its last user gives it back. */
    synchronized void releaseServer(HttpMjpegServer server) {
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

    public HttpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HttpMjpegConfiguration configuration) {
        this.configuration = configuration;
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

    public int getMaxRequestsPerConnection() {
        return maxRequestsPerConnection;
    }

    public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
        this.maxRequestsPerConnection = maxRequestsPerConnection;
    }

    public int getMaxAuthenticationFailures() {
        return maxAuthenticationFailures;
    }

    public void setMaxAuthenticationFailures(int maxAuthenticationFailures) {
        this.maxAuthenticationFailures = maxAuthenticationFailures;
    }

    /** A server, the TLS options it was started with, and how many endpoints use it. */
    private static final class SharedServer {
        private final HttpMjpegServer server;
        private final TlsOptions tls;
        private int users;

        private SharedServer(HttpMjpegServer server, TlsOptions tls) {
            this.server = server;
            this.tls = tls;
        }
    }
}
