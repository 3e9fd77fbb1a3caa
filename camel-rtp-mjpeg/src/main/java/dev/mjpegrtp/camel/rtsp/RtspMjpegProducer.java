package dev.mjpegrtp.camel.rtsp;

import java.util.concurrent.RejectedExecutionException;

import dev.mjpegrtp.camel.rtpmjpeg.JpegBodyParser;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands each exchange's frame to the endpoint's stream, which fans it out to the viewers. Never waits for a viewer:
 * the route goes on at once whatever the viewers do. The body is what rtp-mjpeg takes: the {@link Rfc2435Frame} of
 * {@code JpegToRfc2435Processor} or a JPEG as anything Camel converts to {@code byte[]}.
 */
public class RtspMjpegProducer extends DefaultProducer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RtspMjpegConfiguration configuration;
    private final JpegBodyParser parser = new JpegBodyParser(JpegParser.DYNAMIC_TABLES_Q);

    private volatile RtspStream stream;
    private long startNanos;

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
        startNanos = System.nanoTime();
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
        current.publish(toFrame(exchange), ticks(exchange), ByteBufAllocator.DEFAULT);
    }

    private Rfc2435Frame toFrame(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (body instanceof Rfc2435Frame frame) {
            return frame.withOnvifExtension(configuration.isOnvifHeaderExtension());
        }
        return new Rfc2435Frame(parser.parse(exchange), configuration.getMtu(), configuration.isOnvifHeaderExtension());
    }

    /** 90 kHz ticks from the capture time in the PTS header when there is one, else from the arrival time. */
    private long ticks(Exchange exchange) {
        Long pts = exchange.getIn().getHeader(configuration.getPtsHeader(), Long.class);
        long nanos = pts != null && pts >= 0 ? pts : System.nanoTime() - startNanos;
        return nanos / NANOS_PER_SECOND * RtpHeader.CLOCK_RATE + nanos % NANOS_PER_SECOND * RtpHeader.CLOCK_RATE / NANOS_PER_SECOND;
    }
}
