package dev.mjpegrtp.app;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.RateLimitedLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one connection of the {@link ObserveHttpServer}, one at a time: the request is read on the
 * event loop, its answer computed on the server's worker thread and written back on the event loop; nothing more is
 * read until it is written. A deadline runs at all times: the request's
 * ({@value ObserveHttpServer#REQUEST_TIMEOUT_MILLIS} ms from the connection or the previous answer), then the
 * answer's ({@value ObserveHttpServer#ANSWER_TIMEOUT_MILLIS} ms); the connection is closed when it passes. A request
 * the server refuses (too long, not GET, with a body, unreadable) is answered at once and the connection closed, its
 * body never read; so is one that finds the worker's queue full (503), which only answers that take longer than the
 * answer timeout to compute can fill.
 */
final class ObserveConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveConnection.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    private static final long NOT_WAITING = Long.MAX_VALUE;

    private final ObserveHttpServer server;
    private ChannelHandlerContext context;
    private ScheduledFuture<?> deadline;
    /**
     * Since when the connection has waited on its client, for a request or for it to take an answer (System.nanoTime);
     * {@link #NOT_WAITING} while the server computes an answer.
     */
    private volatile long waitingSinceNanos = System.nanoTime();
    /** A request is being answered; the connection reads nothing until its answer is written. */
    private boolean answering;
    /** The client sent a request before the answer to the previous one was written: closed after that answer. */
    private boolean pipelined;

    ObserveConnection(ObserveHttpServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = ctx;
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error) {
            ERRORS.failure("Management HTTP connection " + ctx.channel().remoteAddress() + " failed", cause);
        } else {
            LOG.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            // a body's HttpContent (and a GET's empty last content) is let go: a request with a body is refused
            if (msg instanceof HttpRequest request) {
                if (answering) {
                    pipelined = true;
                } else {
                    answering = true;
                    waitingSinceNanos = NOT_WAITING;
                    ctx.channel().config().setAutoRead(false);
                    setDeadline(ctx, ObserveHttpServer.ANSWER_TIMEOUT_MILLIS, "answer not written",
                            server::answerTimedOut);
                    handle(ctx, request);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            // the decoder skips whatever follows an unreadable request
            LOG.debug("Refusing {}: {}", ctx.channel().remoteAddress(), decoded.cause().toString());
            respond(ctx, false, response(decoded.cause() instanceof TooLongHttpLineException
                    ? refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG)
                    : decoded.cause() instanceof TooLongFrameException
                    ? refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
                    : refusal(HttpResponseStatus.BAD_REQUEST)));
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse refusal = response(refusal(HttpResponseStatus.METHOD_NOT_ALLOWED));
            refusal.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            respond(ctx, false, refusal);
            return;
        }
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0) {
            respond(ctx, false, response(refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)));
            return;
        }
        String path = pathOf(request.uri());
        ObserveEndpoint endpoint = server.endpoint(path);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (endpoint == null) {
            respond(ctx, keepAlive, response(ObserveAnswer.notFound()));
            return;
        }
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        try {
            server.worker().execute(() -> {
                if (!ctx.channel().isActive()) {
                    return; // closed while it waited for the worker
                }
                FullHttpResponse response = response(compute(ctx, endpoint, path, accept));
                try {
                    ctx.executor().execute(() -> respond(ctx, keepAlive, response));
                } catch (RejectedExecutionException stopping) {
                    response.release();
                }
            });
        } catch (RejectedExecutionException queueFull) {
            respond(ctx, false, response(refusal(HttpResponseStatus.SERVICE_UNAVAILABLE)));
        }
    }

    private static ObserveAnswer compute(ChannelHandlerContext ctx, ObserveEndpoint endpoint, String path,
                                         String accept) {
        try {
            return endpoint.answer(path, accept);
        } catch (RuntimeException | Error e) {
            ERRORS.failure("Cannot answer GET " + path + " of " + ctx.channel().remoteAddress(), e);
            return refusal(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * Writes a whole answer; once it is written, closes the connection or, when the client and the server keep it
     * alive, reads the next request.
     */
    private void respond(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        boolean keep = keepAlive && !pipelined;
        HttpUtil.setKeepAlive(response, keep);
        server.answerUnwritten();
        waitingSinceNanos = System.nanoTime();
        ctx.writeAndFlush(response).addListener(written -> {
            server.answerWritten();
            if (keep && written.isSuccess() && !pipelined) {
                answering = false;
                awaitRequest(ctx);
                ctx.channel().config().setAutoRead(true);
            } else {
                ctx.close();
            }
        });
    }

    /** How long the connection has waited on its client, at {@code nowNanos}: 0 while its answer is computed. */
    long waitingNanos(long nowNanos) {
        long since = waitingSinceNanos;
        return since == NOT_WAITING ? 0 : nowNanos - since;
    }

    /** Closes the connection for a new one to take its place; on its event loop. */
    void evict() {
        LOG.debug("Closing {} for a new connection: it waited {} ms on its client", context.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(waitingNanos(System.nanoTime())));
        context.close();
    }

    private void awaitRequest(ChannelHandlerContext ctx) {
        waitingSinceNanos = System.nanoTime();
        setDeadline(ctx, ObserveHttpServer.REQUEST_TIMEOUT_MILLIS, "no whole request", server::requestTimedOut);
    }

    private void setDeadline(ChannelHandlerContext ctx, long millis, String what, Runnable count) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = ctx.executor().schedule(() -> {
            LOG.debug("Closing {}: {} within {} ms", ctx.channel().remoteAddress(), what, millis);
            count.run();
            ctx.close();
        }, millis, TimeUnit.MILLISECONDS);
    }

    private static ObserveAnswer refusal(HttpResponseStatus status) {
        return ObserveAnswer.text(status.code(), status.reasonPhrase());
    }

    private static FullHttpResponse response(ObserveAnswer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        HttpUtil.setContentLength(response, answer.body().length);
        return response;
    }

    /** The request's path without its query or fragment. */
    private static String pathOf(String uri) {
        int end = uri.length();
        for (char delimiter : new char[] { '?', '#' }) {
            int at = uri.indexOf(delimiter);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return uri.substring(0, end);
    }
}
