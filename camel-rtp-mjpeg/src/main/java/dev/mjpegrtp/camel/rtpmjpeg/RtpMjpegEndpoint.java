package dev.mjpegrtp.camel.rtpmjpeg;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Streams JPEG frames as RTP/JPEG (RFC 2435) over UDP. The producer sends each exchange's frame to host:port; the
 * consumer listens on host:port and emits every complete frame it reassembles as a JFIF {@code byte[]}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "rtp-mjpeg", title = "RTP MJPEG", syntax = "rtp-mjpeg:host:port",
             category = { Category.NETWORKING }, headersClass = RtpMjpegConstants.class)
public class RtpMjpegEndpoint extends DefaultEndpoint {

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
