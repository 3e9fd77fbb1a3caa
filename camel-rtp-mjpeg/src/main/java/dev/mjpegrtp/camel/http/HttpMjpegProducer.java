package dev.mjpegrtp.camel.http;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands each exchange's JPEG to the endpoint's stream, which copies it once into the buffer every viewer shares and
 * offers it to the viewers. Never waits for a viewer. The body is a JPEG as a {@link ByteBuffer} (as the gstreamer
 * consumer emits it, its readable bytes) or anything Camel converts to {@code byte[]}; it is not kept past the call,
 * so pooled buffers may be reused as soon as the exchange completes.
 */
public class HttpMjpegProducer extends DefaultProducer {

    private volatile HttpMjpegStream stream;

    public HttpMjpegProducer(HttpMjpegEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HttpMjpegEndpoint getEndpoint() {
        return (HttpMjpegEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
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
        HttpMjpegStream current = stream;
        if (current == null) {
            throw new RejectedExecutionException("http-mjpeg producer for " + getEndpoint().getUrl()
                    + " is not started");
        }
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
            getEndpoint().frameRejected();
            throw new InvalidJpegException("http-mjpeg body of " + jpeg.remaining() + " bytes is not a JPEG: it must "
                    + "start with SOI (FF D8) and end with EOI (FF D9)");
        }
    }
}
