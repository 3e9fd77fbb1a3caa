package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import org.apache.camel.Exchange;

/**
 * What a producer sends, read from an exchange: the body as an {@link Rfc2435Frame} (the one
 * {@link JpegToRfc2435Processor} made, or one packetized here from a JPEG body) and the frame's presentation time.
 */
public final class ExchangeFrameReader {

    private final JpegBodyParser parser;
    private final int mtu;
    private final boolean onvifHeaderExtension;
    private final String ptsHeader;
    private final long startNanos = System.nanoTime();

    /**
     * @param inBandQ   the Q a JPEG body's tables are sent with (see {@link JpegBodyParser})
     * @param ptsHeader the header holding the capture time in nanoseconds, as the gstreamer: consumer sets it
     */
    public ExchangeFrameReader(int inBandQ, int mtu, boolean onvifHeaderExtension, String ptsHeader) {
        this.parser = new JpegBodyParser(inBandQ);
        this.mtu = mtu;
        this.onvifHeaderExtension = onvifHeaderExtension;
        this.ptsHeader = ptsHeader;
    }

    public Rfc2435Frame frame(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (body instanceof Rfc2435Frame frame) {
            return frame.withOnvifExtension(onvifHeaderExtension);
        }
        return new Rfc2435Frame(parser.parse(exchange), mtu, onvifHeaderExtension);
    }

    /** The capture time from the PTS header when there is one, else the time since this reader was made. */
    public long presentationNanos(Exchange exchange) {
        Long pts = exchange.getIn().getHeader(ptsHeader, Long.class);
        return pts != null && pts >= 0 ? pts : System.nanoTime() - startNanos;
    }
}
