package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.ByteBuffer;

import dev.mjpegrtp.jpeg.JpegTranscoder;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Parses the JPEG in an exchange's body, for the processor and the producers that take JPEG bodies.
 *
 * <p>A {@code byte[]} is parsed in place. So is a heap {@link ByteBuffer} whose bytes start its array, as a
 * {@code gstreamer:} consumer emits them: the JPEG is its first {@code remaining()}
 * bytes and the rest of the array is a leftover of an earlier frame. Other buffers are copied once; anything else goes
 * through Camel's conversion to {@code byte[]} (a file, a stream).
 */
public final class JpegBodyParser {

    private final JpegParser parser;
    /**
     * Transcoders keep their buffers from frame to frame (up to those of a 1080p frame: a larger one's are let go after
     * it); one per thread that sends, as they are not thread-safe.
     */
    private final ThreadLocal<JpegTranscoder> transcoders = ThreadLocal.withInitial(JpegTranscoder::new);

    public JpegBodyParser(int inBandQ) {
        this.parser = new JpegParser(inBandQ);
    }

    public int inBandQ() {
        return parser.inBandQ();
    }

    /** The frame refers to the body's bytes unless it was transcoded: valid as long as the body is. */
    public JpegFrame parse(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getIn().getBody();
        if (body instanceof ByteBuffer buffer) {
            if (buffer.hasArray() && buffer.arrayOffset() + buffer.position() == 0) {
                return parser.parse(buffer.array(), buffer.remaining(), transcoders.get());
            }
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return parser.parse(copy, transcoders.get());
        }
        return parser.parse(exchange.getIn().getMandatoryBody(byte[].class), transcoders.get());
    }
}
