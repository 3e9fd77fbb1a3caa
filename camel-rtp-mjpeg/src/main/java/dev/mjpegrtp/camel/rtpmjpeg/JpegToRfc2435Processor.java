package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns a JPEG body ({@code byte[]}, a {@link java.nio.ByteBuffer}, or anything Camel converts to bytes: a file, a
 * stream) into an {@link Rfc2435Frame}
 * cut for {@link #setMtu(int) mtu}, ready for an rtp-mjpeg producer, and sets the frame's size as headers.
 *
 * <p>A valid JPEG RFC 2435 cannot carry as it is (optimized Huffman tables, progressive, grayscale, other sampling
 * factors) is re-encoded losslessly first, and counted. One it cannot carry at all fails the exchange with an
 * {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception} whose message names the cause; nothing reaches the wire and the next
 * exchange is unaffected. Stateless apart from its counters, so one instance may serve many routes. Registered in the
 * app as {@code jpegToRfc2435}.
 */
public class JpegToRfc2435Processor implements Processor {

    private JpegBodyParser parser = new JpegBodyParser(JpegParser.DYNAMIC_TABLES_Q);
    private final LongAdder framesProcessed = new LongAdder();
    private final LongAdder framesTranscoded = new LongAdder();
    private final LongAdder framesRejected = new LongAdder();
    private int mtu = Rfc2435Frame.DEFAULT_MTU;

    @Override
    public void process(Exchange exchange) throws Exception {
        JpegFrame frame;
        try {
            frame = parser.parse(exchange);
        } catch (RuntimeException e) {
            framesRejected.increment();
            throw e;
        }
        exchange.getIn().setBody(new Rfc2435Frame(frame, mtu));
        exchange.getIn().setHeader(RtpMjpegConstants.WIDTH, frame.width());
        exchange.getIn().setHeader(RtpMjpegConstants.HEIGHT, frame.height());
        framesProcessed.increment();
        if (frame.transcoded()) {
            framesTranscoded.increment();
        }
    }

    /** Largest RTP packet to produce, RTP header included. Default {@value Rfc2435Frame#DEFAULT_MTU}. */
    public void setMtu(int mtu) {
        this.mtu = Rfc2435Frame.requireValidMtu(mtu);
    }

    public int getMtu() {
        return mtu;
    }

    /**
     * Q announcing tables that are not RFC 2435 Appendix A's, sent in-band. Default 255: they may change every frame;
     * 128..254 tell receivers the tables of that Q never change, so use one only for a source at a fixed quality.
     */
    public void setInBandQ(int inBandQ) {
        this.parser = new JpegBodyParser(inBandQ);
    }

    public int getInBandQ() {
        return parser.inBandQ();
    }

    public long getFramesProcessed() {
        return framesProcessed.sum();
    }

    /** Frames re-encoded losslessly before they could be carried; included in {@link #getFramesProcessed()}. */
    public long getFramesTranscoded() {
        return framesTranscoded.sum();
    }

    /** Bodies rejected because they were not JPEG frames RFC 2435 can carry. */
    public long getFramesRejected() {
        return framesRejected.sum();
    }
}
