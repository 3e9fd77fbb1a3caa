package dev.mjpegrtp.camel.rtsp;

import java.net.InetSocketAddress;

import dev.mjpegrtp.camel.server.ServerComponent;
import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.camel.server.ServerTls;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * Serves MJPEG streams over RTSP. Endpoints on the same host:port share one RTSP server, started with the first of
 * them and stopped with the last; all servers share one Netty event loop group.
 */
@Component("rtsp-mjpeg")
public class RtspMjpegComponent extends ServerComponent<RtspMjpegConfiguration, RtspServer> {

    @Metadata(description = "Options every endpoint starts from; URI parameters override them per endpoint.")
    private RtspMjpegConfiguration configuration = new RtspMjpegConfiguration();
    @Metadata(defaultValue = "60000", javaType = "java.time.Duration", description = "A session whose viewer sends "
              + "no request and no RTCP for this long is ended (announced in the Session header); a connection that "
              + "holds a session and sends nothing for this long is closed.")
    private long sessionTimeout = 60_000;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A request "
              + "must arrive whole within this long of its first byte, or the connection is closed (slow loris).")
    private long requestTimeout = 10_000;
    @Metadata(label = "security", defaultValue = "20", description = "Requests one connection may make per second; "
              + "a connection making more gets 503 and is closed.")
    private int maxRequestsPerSecond = 20;
    @Metadata(label = "security", defaultValue = "16", description = "Sessions (viewers) one server holds at once "
              + "for one client address, over all its paths; one more SETUP gets 503. Clients behind one NAT or "
              + "proxy share an address and this limit.")
    private int maxSessionsPerAddress = 16;
    @Metadata(label = "security", defaultValue = "5000", javaType = "java.time.Duration", description = "A session "
              + "not played this long after its SETUP is ended, so that SETUPs without PLAY cannot hold viewer "
              + "slots.")
    private long setupTimeout = 5_000;
    @Metadata(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "When a "
              + "path of the server asks for credentials or has allowedClients, a connection that has not been granted "
              + "a path within this long of connecting is closed, so that connections without credentials cannot hold "
              + "the server's slots.")
    private long authenticationTimeout = 10_000;

    public RtspMjpegComponent() {
        super("rtsp-mjpeg");
    }

    @Override
    protected RtspMjpegEndpoint newEndpoint(String uri, RtspMjpegConfiguration configuration) {
        return new RtspMjpegEndpoint(uri, this, configuration);
    }

    @Override
    protected RtspServer newServer(InetSocketAddress address, ServerLimits limits, ServerTls tls,
                                   RtspMjpegConfiguration configuration, EventLoopGroup group) {
        return new RtspServer(address, limits, new RtspServerSettings(sessionTimeout, requestTimeout,
                maxRequestsPerSecond, maxSessionsPerAddress, setupTimeout, authenticationTimeout),
                configuration.getRtpPort(), tls, group);
    }

    @Override
    public RtspMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RtspMjpegConfiguration configuration) {
        this.configuration = configuration;
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

    public int getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(int maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public int getMaxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    public void setMaxSessionsPerAddress(int maxSessionsPerAddress) {
        this.maxSessionsPerAddress = maxSessionsPerAddress;
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
}
