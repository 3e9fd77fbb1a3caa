package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.regex.Pattern;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.URISupport;

/**
 * Streams JPEG frames as RTP/JPEG (RFC 2435) over UDP. The producer sends each exchange's frame to host:port; the
 * consumer listens on host:port and emits every complete frame it reassembles as a JFIF {@code byte[]}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "rtp-mjpeg", title = "RTP MJPEG", syntax = "rtp-mjpeg:host:port",
             category = { Category.NETWORKING }, headersClass = RtpMjpegConstants.class)
public class RtpMjpegEndpoint extends DefaultEndpoint {

    /** The srtpKey option's value, which Camel's own masking of secrets does not know by that name. */
    private static final Pattern SRTP_KEY = Pattern.compile("([?&]srtpKey=)(RAW\\([^)]*\\)|[^&]*)",
            Pattern.CASE_INSENSITIVE);

    @UriParam
    private RtpMjpegConfiguration configuration;

    public RtpMjpegEndpoint(String uri, RtpMjpegComponent component, RtpMjpegConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new RtpMjpegProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RtpMjpegConsumer consumer = new RtpMjpegConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public RtpMjpegComponent getComponent() {
        return (RtpMjpegComponent) super.getComponent();
    }

    /** The endpoint's URI with its secrets masked: what logs, health checks and JMX may show. */
    public String sanitizedUri() {
        return sanitize(getEndpointUri());
    }

    static String sanitize(String uri) {
        return SRTP_KEY.matcher(URISupport.sanitizeUri(uri)).replaceAll("$1xxxxxx");
    }

    @Override
    public String toString() {
        return "rtp-mjpeg endpoint[" + sanitizedUri() + "]";
    }

    EventLoopGroup eventLoopGroup() {
        return getComponent().eventLoopGroup();
    }

    public RtpMjpegConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RtpMjpegConfiguration configuration) {
        this.configuration = configuration;
    }
}
