package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.Locale;
import java.util.Map;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * Sends and receives MJPEG as RTP/JPEG (RFC 2435) over UDP. All endpoints share one Netty event loop group, created
 * when the first endpoint needs it and shut down with the component.
 */
@Component("rtp-mjpeg")
public class RtpMjpegComponent extends DefaultComponent {

    /** The name of the secret option, as Camel compares sensitive names: lower case, without dashes. */
    private static final String SECRET_OPTION = "srtpkey";

    @Metadata(description = "Options every endpoint starts from; URI parameters override them per endpoint.")
    private RtpMjpegConfiguration configuration = new RtpMjpegConfiguration();
    @Metadata(label = "advanced", defaultValue = "1", description = "Netty I/O threads shared by all rtp-mjpeg "
              + "endpoints. One thread sends several 1080p30 streams; add threads for many streams.")
    private int ioThreads = 1;

    private EventLoopGroup eventLoopGroup;

    /**
     * Also tells the context that options named srtpKey are secret: Camel masks the values of the names it knows
     * (passwords, tokens), not of an option marked secret, and camel-main would otherwise log
     * {@code camel.component.rtp-mjpeg.srtpKey} in clear in its summary of the properties it applied.
     */
    @Override
    public void setCamelContext(CamelContext context) {
        super.setCamelContext(context);
        if (context != null) {
            ExtendedCamelContext extension = context.getCamelContextExtension();
            String keywords = extension.getAdditionalSensitiveKeywords();
            if (keywords == null || keywords.isBlank()) {
                extension.setAdditionalSensitiveKeywords(SECRET_OPTION);
            } else if (!keywords.toLowerCase(Locale.ENGLISH).contains(SECRET_OPTION)) {
                extension.setAdditionalSensitiveKeywords(keywords + "," + SECRET_OPTION);
            }
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RtpMjpegConfiguration config = configuration.copy();
        HostAndPort address = HostAndPort.parse(remaining, "rtp-mjpeg:host:port");
        config.setHost(address.host());
        config.setPort(address.port());
        RtpMjpegEndpoint endpoint = new RtpMjpegEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        config.validate();
        return endpoint;
    }

    /** The shared I/O threads; created on first use. */
    synchronized EventLoopGroup eventLoopGroup() {
        if (eventLoopGroup == null) {
            eventLoopGroup = NettyTransport.newEventLoopGroup(ioThreads, "rtp-mjpeg-io");
        }
        return eventLoopGroup;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (eventLoopGroup != null) {
            eventLoopGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            eventLoopGroup = null;
        }
        super.doStop();
    }

    public RtpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RtpMjpegConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }
}
