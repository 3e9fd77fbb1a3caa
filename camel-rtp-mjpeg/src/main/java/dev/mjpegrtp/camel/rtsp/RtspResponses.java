package dev.mjpegrtp.camel.rtsp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspHeaderValues;
import io.netty.handler.codec.rtsp.RtspVersions;

/** RTSP/1.0 responses with the headers every one of ours carries: CSeq echoed, Server, Content-Length. */
final class RtspResponses {

    static final String SERVER = "mjpeg-rtp";
    /**
     * A CSeq is a decimal number (RFC 2326 §12.17); nine digits count a request a second for thirty years. Longer
     * ones are refused, so that a request cannot make its response as large as itself.
     */
    private static final int MAX_CSEQ_DIGITS = 9;

    private RtspResponses() {
    }

    /** Whether {@code cseq} is a CSeq we echo: one to {@value #MAX_CSEQ_DIGITS} decimal digits. */
    static boolean isValidCseq(String cseq) {
        if (cseq == null || cseq.isEmpty() || cseq.length() > MAX_CSEQ_DIGITS) {
            return false;
        }
        for (int i = 0; i < cseq.length(); i++) {
            char digit = cseq.charAt(i);
            if (digit < '0' || digit > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * An empty response; {@code cseq} may be null when the request had none or could not be read, and is left out
     * unless valid.
     */
    static FullHttpResponse empty(HttpResponseStatus status, String cseq) {
        FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, Unpooled.EMPTY_BUFFER);
        stamp(response, cseq);
        response.headers().set(RtspHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    static FullHttpResponse withBody(HttpResponseStatus status, String cseq, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status,
                Unpooled.wrappedBuffer(bytes));
        stamp(response, cseq);
        response.headers().set(RtspHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(RtspHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    /** Answers with {@code status}, then closes the connection: for requests that leave it in no state to go on. */
    static void rejectAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String cseq) {
        FullHttpResponse response = empty(status, cseq);
        response.headers().set(RtspHeaderNames.CONNECTION, RtspHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void stamp(HttpMessage response, String cseq) {
        if (isValidCseq(cseq)) {
            response.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        response.headers().set(RtspHeaderNames.SERVER, SERVER);
    }
}
