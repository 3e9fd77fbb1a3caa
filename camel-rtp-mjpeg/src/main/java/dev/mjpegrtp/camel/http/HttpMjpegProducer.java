package dev.mjpegrtp.camel.http;

import java.nio.ByteBuffer;

import dev.mjpegrtp.camel.server.StreamProducer;
import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.Exchange;

/**
 * Hands each exchange's JPEG to the endpoint's stream, which copies it once into the buffer every viewer shares and
 * offers it to the viewers. The body is a JPEG as a {@link ByteBuffer} (as the gstreamer consumer emits it, its
 * readable bytes) or anything Camel converts to {@code byte[]}; it is not kept past the call, so pooled buffers may
 * be reused as soon as the exchange completes.
 */
public class HttpMjpegProducer extends StreamProducer<HttpMjpegStream> {

    private final HttpMjpegEndpoint endpoint;

    public HttpMjpegProducer(HttpMjpegEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpMjpegStream current = stream();
        Object body = exchange.getIn().getBody();
        ByteBuffer jpeg = body instanceof ByteBuffer buffer ? buffer
                : ByteBuffer.wrap(exchange.getIn().getMandatoryBody(byte[].class));
        requireJpeg(jpeg);
        current.publish(jpeg, ByteBufAllocator.DEFAULT);
    }

    /** A JPEG starts with SOI and ends with EOI; anything else would show as a broken picture in every viewer. */
    private void requireJpeg(ByteBuffer jpeg) {
        int start = jpeg.position();
        int end = jpeg.limit();
        if (jpeg.remaining() < 4 || (jpeg.get(start) & 0xFF) != 0xFF || (jpeg.get(start + 1) & 0xFF) != 0xD8
                || (jpeg.get(end - 2) & 0xFF) != 0xFF || (jpeg.get(end - 1) & 0xFF) != 0xD9) {
            endpoint.frameRejected();
            throw new InvalidJpegException("http-mjpeg body of " + jpeg.remaining() + " bytes is not a JPEG: it must "
                    + "start with SOI (FF D8) and end with EOI (FF D9)");
        }
    }
}
