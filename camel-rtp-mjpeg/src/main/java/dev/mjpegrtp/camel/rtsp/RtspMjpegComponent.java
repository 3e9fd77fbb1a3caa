package dev.mjpegrtp.camel.rtsp;

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
 * Serves MJPEG streams over RTSP. Endpoints on the same host:port share one RTSP server, started with the first of
 * them and stopped with the last; all servers share one Netty event loop group.
 */
@Component("rtsp-mjpeg")
public class RtspMjpegComponent extends DefaultComponent {

    private static final String SYNTAX = "rtsp-mjpeg:host:port/path";

    @Metadata(description = "Options every endpoint starts from; URI parameters override them per endpoint.")
    private RtspMjpegConfiguration configuration = new RtspMjpegConfiguration();
    @Metadata(label = "advanced", defaultValue = "2", description = "Netty I/O threads shared by all RTSP servers "
              + "of the component: RTSP connections and TCP viewers are spread over them.")
    private int ioThreads = 2;
    @Metadata(defaultValue = "60000", javaType = "java.time.Duration", description = "A session whose viewer sends "
              + "no request and no RTCP for this long is ended (announced in the Session header); a connection that "
              + "holds a session and sends nothing for this long is closed.")
    private long sessionTimeout = 60_000;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A request "
              + "must arrive whole within this long of its first byte, or the connection is closed (slow loris).")
    private long requestTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "256", description = "RTSP connections one server holds open at "
              + "once; more are refused.")
    private int maxConnections = 256;
    @Metadata(label = "security", defaultValue = "20", description = "Requests one connection may make per second; "
              + "a connection making more gets 503 and is closed.")
    private int maxRequestsPerSecond = 20;
    @Metadata(label = "security", defaultValue = "16", description = "RTSP connections one server holds open at "
              + "once from one client address; more from that address are refused, so that one client cannot take "
              + "every connection. Clients behind one NAT or proxy share an address and this limit.")
    private int maxConnectionsPerAddress = 16;
    @Metadata(label = "security", defaultValue = "16", description = "Sessions (viewers) one server holds at once "
              + "for one client address, over all its paths; one more SETUP gets 503. Clients behind one NAT or "
              + "proxy share an address and this limit.")
    private int maxSessionsPerAddress = 16;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A "
              + "connection that holds no session and sends nothing for this long is closed; connections holding a "
              + "session are kept for the sessionTimeout.")
    private long connectionIdleTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "5000", javaType = "java.time.Duration", description = "A session "
              + "not played this long after its SETUP is ended, so that SETUPs without PLAY cannot hold viewer "
              + "slots.")
    private long setupTimeout = 5_000;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "When a "
              + "path of the server asks for credentials or has allowedClients, a connection that has not been granted "
              + "a path within this long of connecting is closed, so that connections without credentials cannot hold "
              + "the server's slots.")
    private long authenticationTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "10", description = "Failed authentications (and requests from "
              + "addresses allowedClients refuses) one client address may make within a minute; after that its requests "
              + "to protected paths get 503 Service Unavailable with Retry-After until the minute is over.")
    private int maxAuthenticationFailures = 10;

    private EventLoopGroup eventLoopGroup;
    private final Map<InetSocketAddress, SharedServer> servers = new HashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RtspMjpegConfiguration config = configuration.copy();
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
        RtspMjpegEndpoint endpoint = new RtspMjpegEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        config.validate();
        return endpoint;
    }

    /**
     * The server for host:port, started if this is its first user; give it back with {@link #releaseServer}.
     *
     * @param rtpPort the UDP port pair the server sends RTP and RTCP from; 0 for a free pair
     * @param tls     the server's TLS options, which every path on it names alike
     */
    synchronized RtspServer acquireServer(String host, int port, int rtpPort, TlsOptions tls) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
        SharedServer shared = servers.get(address);
        if (shared != null && shared.server.configuredRtpPort() != rtpPort) {
            throw new IllegalStateException("rtsp-mjpeg:" + host + ":" + port + " has rtpPort "
                    + shared.server.configuredRtpPort() + " for its other paths; all paths of one server must name "
                    + "the same rtpPort, got " + rtpPort);
        }
        if (shared != null && !shared.tls.equals(tls)) {
            throw new IllegalStateException("rtsp-mjpeg:" + host + ":" + port + " has TLS options (" + shared.tls
                    + ") for its other paths; all paths of one server must name the same TLS options, got (" + tls
                    + ")");
        }
        if (shared == null) {
            if (eventLoopGroup == null) {
                eventLoopGroup = NettyTransport.newEventLoopGroup(ioThreads, "rtsp-mjpeg-io");
            }
            RtspServer server = new RtspServer(address, new RtspServerSettings(sessionTimeout, requestTimeout,
                    maxConnections, maxRequestsPerSecond, maxConnectionsPerAddress, maxSessionsPerAddress,
                    connectionIdleTimeout, setupTimeout, authenticationTimeout, maxAuthenticationFailures), rtpPort,
                    ServerTls.of(tls, getCamelContext()), eventLoopGroup);
            server.start();
            shared = new SharedServer(server, tls);
            servers.put(address, shared);
        }
        shared.users++;
        return shared.server;
    }

    /** Stops the server when its last user gives it back. */
    synchronized void releaseServer(RtspServer server) {
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

    public RtspMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RtspMjpegConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public long getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(long sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(int maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public int getMaxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    public void setMaxSessionsPerAddress(int maxSessionsPerAddress) {
        this.maxSessionsPerAddress = maxSessionsPerAddress;
    }

    public long getConnectionIdleTimeout() {
        return connectionIdleTimeout;
    }

    public void setConnectionIdleTimeout(long connectionIdleTimeout) {
        this.connectionIdleTimeout = connectionIdleTimeout;
    }

    public long getSetupTimeout() {
        return setupTimeout;
    }

    public void setSetupTimeout(long setupTimeout) {
        this.setupTimeout = setupTimeout;
    }

    public long getAuthenticationTimeout() {
        return authenticationTimeout;
    }

    public void setAuthenticationTimeout(long authenticationTimeout) {
        this.authenticationTimeout = authenticationTimeout;
    }

    public int getMaxAuthenticationFailures() {
        return maxAuthenticationFailures;
    }

    public void setMaxAuthenticationFailures(int maxAuthenticationFailures) {
        this.maxAuthenticationFailures = maxAuthenticationFailures;
    }

    /** A server, the TLS options it was started with, and how many endpoints use it. */
    private static final class SharedServer {
        private final RtspServer server;
        private final TlsOptions tls;
        private int users;

        private SharedServer(RtspServer server, TlsOptions tls) {
            this.server = server;
            this.tls = tls;
        }
    }
}
