package dev.mjpegrtp.camel.rtsp;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.rtsp.RtspDecoder;

/**
 * Netty's RTSP request decoder, plus the interleaved binary frames RFC 2326 §10.12 lets a client send between
 * requests on the same connection (RTCP receiver reports of TCP viewers): a {@code '$'} where a request would start
 * is a frame, emitted as an {@link InterleavedFrame}; anything else goes to the RTSP decoder.
 *
 * <p>It also tracks since when a message has been arriving unfinished, so that a client trickling a request byte by
 * byte (slow loris) can be cut off after the request timeout.
 */
final class InterleavedRtspDecoder extends RtspDecoder {

    private static final byte MAGIC = '$';
    private static final int PREFIX_LENGTH = InterleavedRtpSink.PREFIX_LENGTH;

    private boolean betweenMessages = true;
    private volatile long partialSinceNanos;

    InterleavedRtspDecoder(int maxInitialLineLength, int maxHeaderSize, int maxContentLength) {
        super(maxInitialLineLength, maxHeaderSize, maxContentLength);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (betweenMessages) {
            skipLineBreaks(in);
            if (in.isReadable() && in.getByte(in.readerIndex()) == MAGIC) {
                decodeInterleaved(in, out);
                trackPartial(in);
                return;
            }
        }
        int before = out.size();
        int readerBefore = in.readerIndex();
        super.decode(ctx, in, out);
        if (out.size() > before && out.get(out.size() - 1) instanceof LastHttpContent) {
            betweenMessages = true;
        } else if (out.size() > before || in.readerIndex() > readerBefore) {
            betweenMessages = false;
        }
        trackPartial(in);
    }

    private void decodeInterleaved(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (in.readableBytes() < PREFIX_LENGTH) {
            return;
        }
        int length = in.getUnsignedShort(start + 2);
        if (in.readableBytes() < PREFIX_LENGTH + length) {
            return;
        }
        out.add(new InterleavedFrame(in.getUnsignedByte(start + 1), in.retainedSlice(start + PREFIX_LENGTH, length)));
        in.skipBytes(PREFIX_LENGTH + length);
    }

    /** Line breaks between messages are allowed (RFC 2326 §15.1 via HTTP); the RTSP decoder would skip them too. */
    private static void skipLineBreaks(ByteBuf in) {
        while (in.isReadable()) {
            byte next = in.getByte(in.readerIndex());
            if (next != '\r' && next != '\n') {
                return;
            }
            in.skipBytes(1);
        }
    }

    private void trackPartial(ByteBuf in) {
        boolean partial = !betweenMessages || in.isReadable();
        if (!partial) {
            partialSinceNanos = 0;
        } else if (partialSinceNanos == 0) {
            partialSinceNanos = System.nanoTime();
        }
    }

    /** Since when (System.nanoTime) a message has been arriving without being complete; 0 when none is. */
    long partialSinceNanos() {
        return partialSinceNanos;
    }
}
