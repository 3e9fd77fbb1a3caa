package dev.mjpegrtp.camel.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.rtpmjpeg.RateLimitedLog;
import dev.mjpegrtp.camel.server.ViewerAccess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one HTTP connection, on its event loop: {@code GET /} (the index of paths), and for each
 * path {@code /PATH} (its page), {@code /PATH.mjpeg} (the stream), {@code /PATH.jpg} (the latest frame) and
 * {@code /PATH.json} (its figures). Only GET and HEAD.
 *
 * <p>One request is answered at a time: the connection reads nothing more until the answer is written, so a client
 * that sends requests and reads no answers holds one answer, not a queue. Requests the client sent ahead (HTTP
 * pipelining, which browsers and players do not use) may already be read by then: the first of them ends the
 * connection after the answer being written, and none of them is answered. A connection that serves no stream and
 * completes no request within the connection idle timeout is closed (idle keep-alive, and requests that trickle in);
 * one that made maxRequestsPerConnection requests is closed after the last answer. A connection that asks for a
 * stream serves it until it closes and reads nothing more.
 */
final class HttpMjpegConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMjpegConnection.class);
    private static final String MJPEG = ".mjpeg";
    private static final String JPG = ".jpg";
    private static final String JSON = ".json";
    private static final String MULTIPART = "multipart/x-mixed-replace;boundary=" + MultipartFrame.BOUNDARY;
    /** What 503 answers tell a client to wait: a stream's first frame or a viewer slot are a moment away. */
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final long CHECK_INTERVAL_MILLIS = 500;
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);

    private final HttpMjpegServer server;
    private final long idleTimeoutNanos;
    private int requests;
    private boolean streaming;
    /** An answer is being written; a request read meanwhile ends the connection after it. */
    private boolean answering;
    private boolean closeAfterAnswer;
    private long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> idleCheck;

    HttpMjpegConnection(HttpMjpegServer server) {
        this.server = server;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(server.limits().connectionIdleTimeoutMillis());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        idleCheck = ctx.executor().scheduleAtFixedRate(() -> closeIfIdle(ctx), CHECK_INTERVAL_MILLIS,
                CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idleCheck.cancel(false);
        ctx.fireChannelInactive();
    }

    private void closeIfIdle(ChannelHandlerContext ctx) {
        if (!streaming && System.nanoTime() - lastActivityNanos > idleTimeoutNanos) {
            LOG.debug("Closing {}: no request completed for {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos));
            idleCheck.cancel(false);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error) {
            // an OutOfMemoryError here degrades every stream: at ERROR, once per kind and minute
            ERRORS.failure("HTTP connection " + ctx.channel().remoteAddress() + " failed", cause);
        } else {
            LOG.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpRequest && answering) {
                closeAfterAnswer = true;
            } else if (msg instanceof FullHttpRequest request && !streaming && !closeAfterAnswer
                    && ctx.channel().isActive()) {
                lastActivityNanos = System.nanoTime();
                requests++;
                handle(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            LOG.debug("Closing {}: unreadable request ({})", ctx.channel().remoteAddress(), decoded.cause().toString());
            boolean tooLong = decoded.cause() instanceof TooLongFrameException;
            respond(ctx, request, text(tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST), false);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method())) {
            FullHttpResponse refusal = text(HttpResponseStatus.METHOD_NOT_ALLOWED);
            refusal.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            respond(ctx, request, refusal, false);
            return;
        }
        String path = pathOf(request.uri());
        if (path == null) {
            respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST), false);
            return;
        }
        if (path.isEmpty()) {
            respond(ctx, request, html(HttpPages.index(server.streams(), clientAddress(ctx))), true);
            return;
        }
        String suffix = path.endsWith(MJPEG) ? MJPEG : path.endsWith(JPG) ? JPG : path.endsWith(JSON) ? JSON : "";
        HttpMjpegStream stream = server.stream(path.substring(0, path.length() - suffix.length()));
        if (stream == null) {
            respond(ctx, request, text(HttpResponseStatus.NOT_FOUND), true);
            return;
        }
        FullHttpResponse refusal = refusal(ctx, request, stream);
        if (refusal != null) {
            respond(ctx, request, refusal, true);
            return;
        }
        switch (suffix) {
            case MJPEG -> serveStream(ctx, request, stream, head);
            case JPG -> respond(ctx, request, snapshot(request, stream), true);
            case JSON -> respond(ctx, request, json(HttpPages.figures(stream)), true);
            default -> respond(ctx, request, html(HttpPages.page(stream)), true);
        }
    }

    /**
     * 503 for an address that failed to authenticate too often, 403 for an address the path does not allow, 401
     * without the right credentials; null when the request may go on.
     */
    private FullHttpResponse refusal(ChannelHandlerContext ctx, FullHttpRequest request, HttpMjpegStream stream) {
        InetAddress client = clientAddress(ctx);
        ViewerAccess access = ViewerAccess.decide(server.authenticationThrottle(), client,
                request.method() + " of /" + stream.path(), stream.allowedClients().allows(client),
                stream.authenticator(), ctx.channel().id().asLongText(), request.method().name(), request.uri(),
                request.headers().get(HttpHeaderNames.AUTHORIZATION));
        FullHttpResponse response = switch (access.outcome()) {
            case GRANTED -> null;
            case THROTTLED -> text(HttpResponseStatus.SERVICE_UNAVAILABLE);
            case FORBIDDEN -> text(HttpResponseStatus.FORBIDDEN);
            case UNAUTHORIZED -> text(HttpResponseStatus.UNAUTHORIZED);
        };
        if (access.outcome() == ViewerAccess.Outcome.THROTTLED) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, access.retryAfterSeconds());
        } else if (access.outcome() == ViewerAccess.Outcome.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, access.challenge());
        }
        return response;
    }

    private void serveStream(ChannelHandlerContext ctx, FullHttpRequest request, HttpMjpegStream stream, boolean head) {
        if (head) {
            FullHttpResponse headers = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            headers.headers().set(HttpHeaderNames.CONTENT_TYPE, MULTIPART);
            respond(ctx, request, headers, false);
            return;
        }
        MjpegViewer viewer = new MjpegViewer(ctx.channel(), TimeUnit.MILLISECONDS.toNanos(stream.viewerTimeoutMillis()));
        if (!stream.admit(viewer)) {
            FullHttpResponse busy = text(HttpResponseStatus.SERVICE_UNAVAILABLE);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            respond(ctx, request, busy, false);
            return;
        }
        streaming = true;
        // The parts follow these headers until the connection closes; nothing the viewer sends after is read.
        ctx.channel().config().setAutoRead(false);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, MULTIPART)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE + ", no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // On the event loop: frames published meanwhile reach the connection after these headers.
        ctx.writeAndFlush(response);
        stream.offerLatest(viewer);
        LOG.debug("Viewer {} of /{}", ctx.channel().remoteAddress(), stream.path());
    }

    private static FullHttpResponse snapshot(FullHttpRequest request, HttpMjpegStream stream) {
        HttpMjpegStream.Snapshot snapshot = stream.snapshot();
        if (snapshot == null) {
            FullHttpResponse waiting = text(HttpResponseStatus.SERVICE_UNAVAILABLE);
            waiting.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            return waiting;
        }
        String match = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean unchanged = match != null && match.contains(snapshot.etag());
        FullHttpResponse response;
        if (unchanged) {
            snapshot.jpeg().release();
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, snapshot.jpeg());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg");
            stream.snapshotServed();
        }
        response.headers()
                .set(HttpHeaderNames.ETAG, snapshot.etag())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    /**
     * Writes a whole response and reads the next request only once it is written; closes after it when the client
     * or the server ends keep-alive.
     */
    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
                         boolean keepAlive) {
        boolean keep = keepAlive && HttpUtil.isKeepAlive(request)
                && requests < server.settings().maxRequestsPerConnection();
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && !MULTIPART.equals(response.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keep);
        ctx.channel().config().setAutoRead(false);
        answering = true;
        ctx.writeAndFlush(response).addListener(written -> {
            lastActivityNanos = System.nanoTime();
            answering = false;
            if (!keep || !written.isSuccess()) {
                ctx.close();
            } else if (closeAfterAnswer) {
                endWithoutReset(ctx);
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    /**
     * Ends a connection whose client sent requests ahead: its output ends after the answers written, and what it still
     * sends is read and dropped until it closes or the idle timeout closes it. Closing a socket with unread input
     * resets the connection, and the client would lose the answer still on its way (RFC 9112, section 9.6).
     */
    private void endWithoutReset(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            ((DuplexChannel) ctx.channel()).shutdownOutput();
        } else {
            tls.closeOutbound().addListener(notified -> ((DuplexChannel) ctx.channel()).shutdownOutput());
        }
    }

    /** The request's path without leading slash, query or fragment; null when it is not an absolute path. */
    private static String pathOf(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        if (end == 0 || uri.charAt(0) != '/') {
            return null;
        }
        return uri.substring(1, end);
    }

    private static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    private static FullHttpResponse text(HttpResponseStatus status) {
        return withBody(status, "text/plain; charset=utf-8", status + "\n");
    }

    private static FullHttpResponse html(String page) {
        FullHttpResponse response = withBody(HttpResponseStatus.OK, "text/html; charset=utf-8", page);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    private static FullHttpResponse json(String figures) {
        FullHttpResponse response = withBody(HttpResponseStatus.OK, "application/json", figures);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    private static FullHttpResponse withBody(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }
}
