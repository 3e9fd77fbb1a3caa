package dev.mjpegrtp.camel.rtsp;

import java.util.concurrent.RejectedExecutionException;

import dev.mjpegrtp.camel.rtpmjpeg.ExchangeFrameReader;
import dev.mjpegrtp.camel.rtpmjpeg.RtpClock;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands each exchange's frame to the endpoint's stream, which fans it out to the viewers. Never waits for a viewer:
 * the route goes on at once whatever the viewers do. The body is what rtp-mjpeg takes: the {@link Rfc2435Frame} of
 * {@code JpegToRfc2435Processor} or a JPEG as anything Camel converts to {@code byte[]}.
 */
public class RtspMjpegProducer extends DefaultProducer {

    private final RtspMjpegConfiguration configuration;

    private volatile RtspStream stream;
    private ExchangeFrameReader frames;

    public RtspMjpegProducer(RtspMjpegEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public RtspMjpegEndpoint getEndpoint() {
        return (RtspMjpegEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        frames = new ExchangeFrameReader(JpegParser.DYNAMIC_TABLES_Q, configuration.getMtu(),
                configuration.isOnvifHeaderExtension(), configuration.getPtsHeader());
        stream = getEndpoint().openStream();
    }

    @Override
    protected void doStop() throws Exception {
        if (stream != null) {
            stream = null;
            getEndpoint().closeStream();
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RtspStream current = stream;
        if (current == null) {
            throw new RejectedExecutionException("rtsp-mjpeg producer for " + getEndpoint().getUrl() + " is not started");
        }
        current.publish(frames.frame(exchange), RtpClock.ticks(frames.presentationNanos(exchange)),
                ByteBufAllocator.DEFAULT);
    }
}
