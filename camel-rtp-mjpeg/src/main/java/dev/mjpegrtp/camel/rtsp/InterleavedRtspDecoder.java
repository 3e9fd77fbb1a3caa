package dev.mjpegrtp.camel.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import dev.mjpegrtp.camel.rtpmjpeg.InterleavedRtpSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspVersions;

/**
 * Netty's RTSP request decoder, plus the interleaved binary frames RFC 2326 §10.12 lets a client send between
 * requests on the same connection (RTCP receiver reports of TCP viewers): a {@code '$'} where a request would start
 * is a frame, emitted as an {@link InterleavedFrame}; anything else goes to the RTSP decoder.
 *
 * <p>A request line that is not {@code METHOD URI VERSION} becomes a failed message (answered 400), where Netty's HTTP
 * decoder would skip it silently and leave the client waiting; everything after it is discarded, since the
 * connection is closed.
 *
 * <p>A client's interleaved frames are RTCP, a few hundred bytes: one declared longer than {@code maxInterleavedLength}
 * is refused (413) before it is buffered, so that a client cannot make the connection hold 64 KiB waiting for it.
 *
 * <p>It also tracks since when a message has been arriving unfinished, so that a client trickling a request byte by
 * byte (slow loris) can be cut off after the request timeout.
 */
final class InterleavedRtspDecoder extends RtspDecoder {

    private static final byte MAGIC = '$';
    private static final int PREFIX_LENGTH = InterleavedRtpSink.PREFIX_LENGTH;
    /** METHOD SP Request-URI SP RTSP-Version (RFC 2326 §6.1), the version loosely: HTTP/1.1 gets a 505 later. */
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z_-]+ \\S+ [A-Za-z]+/\\d+\\.\\d+");

    private final int maxInitialLineLength;
    private final int maxInterleavedLength;
    private boolean betweenMessages = true;
    private boolean rejected;
    private volatile long partialSinceNanos;

    /** @param maxInterleavedLength the longest interleaved frame a client may send, without its 4-byte prefix */
    InterleavedRtspDecoder(int maxInitialLineLength, int maxHeaderSize, int maxContentLength, int maxInterleavedLength) {
        super(maxInitialLineLength, maxHeaderSize, maxContentLength);
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxInterleavedLength = maxInterleavedLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (betweenMessages) {
            skipLineBreaks(in);
            if (in.isReadable() && in.getByte(in.readerIndex()) == MAGIC) {
                if (in.readableBytes() >= PREFIX_LENGTH && in.getUnsignedShort(in.readerIndex() + 2) > maxInterleavedLength) {
                    reject(in, out, new TooLongFrameException("interleaved frame of "
                            + in.getUnsignedShort(in.readerIndex() + 2) + " bytes, more than " + maxInterleavedLength));
                    return;
                }
                decodeInterleaved(in, out);
                trackPartial(in);
                return;
            }
            String malformed = malformedRequestLine(in);
            if (malformed != null) {
                reject(in, out, new IllegalArgumentException(malformed));
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

    /** Emits a failed message, which the connection answers and closes on, and discards everything after it. */
    private void reject(ByteBuf in, List<Object> out, Exception cause) {
        rejected = true;
        in.skipBytes(in.readableBytes());
        HttpMessage invalid = createInvalidMessage();
        invalid.setDecoderResult(DecoderResult.failure(cause));
        out.add(invalid);
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

    /**
     * Netty's RTSP decoder reads responses too, and makes its failed messages responses until it has seen a request;
     * a server only ever receives requests, so failures are requests here, and reach the request handler.
     */
    @Override
    protected HttpMessage createInvalidMessage() {
        return new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, RtspMethods.OPTIONS, "/bad-request");
    }

    /** Why the complete first line in the buffer is no request line; null when it is one or is not complete yet. */
    private String malformedRequestLine(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), maxInitialLineLength),
                (byte) '\n');
        if (end < 0) {
            return null;
        }
        String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1).strip();
        return REQUEST_LINE.matcher(line).matches() ? null : "not an RTSP request line";
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
