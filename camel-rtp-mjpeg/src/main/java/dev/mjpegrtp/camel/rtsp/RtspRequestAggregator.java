package dev.mjpegrtp.camel.rtsp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;

/**
 * Joins a request and its body into one message, up to a small limit: RTSP requests to a server that only plays
 * carry at most a few parameter names. A bigger one is answered 413 in RTSP (the HTTP aggregator would answer in
 * HTTP/1.1) and the connection closed, before its body is read.
 */
final class RtspRequestAggregator extends HttpObjectAggregator {

    RtspRequestAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    /**
     * No interim response to {@code Expect: 100-continue}, which is HTTP's: the HTTP aggregator would answer it, or an
     * expectation it does not know, in HTTP/1.1 and without the CSeq, and drop the request of the latter unanswered.
     * The request is answered as if it had no Expect header.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        return null;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        RtspResponses.rejectAndClose(ctx, RtspResponseStatuses.REQUEST_ENTITY_TOO_LARGE,
                oversized.headers().get(RtspHeaderNames.CSEQ));
    }
}
