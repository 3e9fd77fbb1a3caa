package dev.mjpegrtp.camel.http;

import java.net.InetSocketAddress;

import dev.mjpegrtp.camel.server.ServerComponent;
import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.camel.server.ServerTls;
import io.netty.channel.EventLoopGroup;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * Serves MJPEG streams over HTTP. Endpoints on the same host:port share one HTTP server, started with the first of
 * them and stopped with the last; all servers share one Netty event loop group.
 */
@Component("http-mjpeg")
public class HttpMjpegComponent extends ServerComponent<HttpMjpegConfiguration, HttpMjpegServer> {

    @Metadata(description = "Options every endpoint starts from; URI parameters override them per endpoint.")
    private HttpMjpegConfiguration configuration = new HttpMjpegConfiguration();
    @Metadata(label = "security", defaultValue = "100", description = "Requests one keep-alive connection may make; "
              + "the answer to the last one closes it.")
    private int maxRequestsPerConnection = 100;

    public HttpMjpegComponent() {
        super("http-mjpeg");
    }

    @Override
    protected HttpMjpegEndpoint newEndpoint(String uri, HttpMjpegConfiguration configuration) {
        return new HttpMjpegEndpoint(uri, this, configuration);
    }

    @Override
    protected HttpMjpegServer newServer(InetSocketAddress address, ServerLimits limits, ServerTls tls,
                                        HttpMjpegConfiguration configuration, EventLoopGroup group) {
        return new HttpMjpegServer(address, limits, new HttpServerSettings(maxRequestsPerConnection), tls, group);
    }

    @Override
    public HttpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HttpMjpegConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getMaxRequestsPerConnection() {
        return maxRequestsPerConnection;
    }

    public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
        this.maxRequestsPerConnection = maxRequestsPerConnection;
    }
}
