package dev.mjpegrtp.camel.rtsp;

import dev.mjpegrtp.camel.rtpmjpeg.ExchangeFrameReader;
import dev.mjpegrtp.camel.rtpmjpeg.RtpClock;
import dev.mjpegrtp.camel.server.StreamProducer;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.Exchange;

/**
 * Hands each exchange's frame to the endpoint's stream, which fans it out to the viewers. The body is what
 * rtp-mjpeg takes: the {@link Rfc2435Frame} of {@code JpegToRfc2435Processor} or a JPEG as anything Camel converts to
 * {@code byte[]}.
 */
public class RtspMjpegProducer extends StreamProducer<RtspStream> {

    private final RtspMjpegConfiguration configuration;

    private ExchangeFrameReader frames;

    public RtspMjpegProducer(RtspMjpegEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        frames = new ExchangeFrameReader(JpegParser.DYNAMIC_TABLES_Q, configuration.getMtu(),
                configuration.isOnvifHeaderExtension(), configuration.getPtsHeader());
        super.doStart();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RtspStream current = stream();
        current.publish(frames.frame(exchange), RtpClock.ticks(frames.presentationNanos(exchange)),
                ByteBufAllocator.DEFAULT);
    }
}
