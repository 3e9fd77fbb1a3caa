package dev.mjpegrtp.camel.rtsp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.server.ViewerAccess;
import dev.mjpegrtp.camel.server.ViewerAuthenticator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the RTSP requests of one connection (RFC 2326 §10): OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN and
 * GET_PARAMETER, and takes the RTCP TCP viewers interleave. Runs on the connection's event loop only.
 *
 * <p>Every request that names a path is checked against the path's allowed clients (403) and credentials (401)
 * before anything else is said about it; a path no stream serves answers as a protected path would (see
 * {@link #unknownPath}), so that paths cannot be found out without credentials. Sessions may be controlled from any
 * connection of the client's address, with the session's credentials. When the server has a protected path, a
 * connection must be granted a path within the authentication timeout or is closed.
 */
final class RtspConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);
    private static final String PUBLIC_METHODS = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER";
    private static final String SDP = "application/sdp";
    /** A live stream's range: it starts now and has no end (what gst-rtsp-server says for live streams). */
    private static final String LIVE_RANGE = "npt=now-";
    /** How long DESCRIBE waits for a path's first frames to tell size and rate, before answering without them. */
    private static final long DESCRIBE_WAIT_MILLIS = 2000;
    /** The longest Require header echoed as Unsupported: a few option tags; a response never grows with a request. */
    private static final int MAX_ECHOED_REQUIRE = 256;

    private final RtspServer server;
    /** Sessions set up on this connection; TCP ones end with it. */
    private final List<RtspSession> sessions = new ArrayList<>();
    /** Interleaved channel numbers in use on this connection, RTP's and RTCP's, by session. */
    private final Map<Integer, RtspSession> channels = new HashMap<>();
    private final Map<Integer, RtspSession> rtcpChannels = new HashMap<>();
    /** A DESCRIBE waiting for its path's format; one at a time, so that waiting costs a connection one entry. */
    private PendingDescribe pendingDescribe;
    /** Whether a request on this connection was granted a path: it may stay past the authentication timeout. */
    private boolean granted;
    private ScheduledFuture<?> authenticationDeadline;

    RtspConnection(RtspServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        authenticationDeadline = ctx.executor().schedule(() -> closeIfNotGranted(ctx),
                server.settings().authenticationTimeoutMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    /** Without credentials a connection may not hold one of the server's slots for long. */
    private void closeIfNotGranted(ChannelHandlerContext ctx) {
        if (!granted && server.hasProtectedPaths()) {
            LOG.debug("Closing {}: no path granted within {} ms", ctx.channel().remoteAddress(),
                    server.settings().authenticationTimeoutMillis());
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!ctx.channel().isActive()) {
                // Requests that came in one read with one the connection was closed on: nobody is left to answer.
                return;
            }
            if (msg instanceof FullHttpRequest request) {
                handle(ctx, request);
            } else if (msg instanceof InterleavedFrame frame) {
                RtspSession session = rtcpChannels.get(frame.channel());
                if (session != null && !session.ended()) {
                    server.rtcpReceived(session, frame.content());
                }
                // Anything else interleaved (RTP a client sends back) means nothing to a server that only sends.
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String cseq = request.headers().get(RtspHeaderNames.CSEQ);
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            boolean tooLong = decoded.cause() instanceof TooLongFrameException;
            LOG.debug("Closing {}: unreadable request ({})", ctx.channel().remoteAddress(), decoded.cause().toString());
            RtspResponses.rejectAndClose(ctx, tooLong ? RtspResponseStatuses.REQUEST_ENTITY_TOO_LARGE
                    : RtspResponseStatuses.BAD_REQUEST, null);
            return;
        }
        if (!RtspVersions.RTSP_1_0.equals(request.protocolVersion())) {
            RtspResponses.rejectAndClose(ctx, RtspResponseStatuses.RTSP_VERSION_NOT_SUPPORTED, cseq);
            return;
        }
        if (!RtspResponses.isValidCseq(cseq)) {
            RtspResponses.rejectAndClose(ctx, RtspResponseStatuses.BAD_REQUEST, null);
            return;
        }
        String require = request.headers().get(RtspHeaderNames.REQUIRE);
        if (require != null) {
            FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OPTION_NOT_SUPPORTED, cseq);
            if (require.length() <= MAX_ECHOED_REQUIRE) {
                response.headers().set(RtspHeaderNames.UNSUPPORTED, require);
            }
            ctx.writeAndFlush(response);
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(RtspMethods.OPTIONS)) {
            options(ctx, request, cseq);
        } else if (method.equals(RtspMethods.DESCRIBE)) {
            describe(ctx, request, cseq);
        } else if (method.equals(RtspMethods.SETUP)) {
            setup(ctx, request, cseq);
        } else if (method.equals(RtspMethods.PLAY) || method.equals(RtspMethods.PAUSE)
                || method.equals(RtspMethods.TEARDOWN) || method.equals(RtspMethods.GET_PARAMETER)) {
            inSession(ctx, request, cseq);
        } else {
            FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.NOT_IMPLEMENTED, cseq);
            response.headers().set(RtspHeaderNames.PUBLIC, PUBLIC_METHODS);
            ctx.writeAndFlush(response);
        }
    }

    private void options(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        response.headers().set(RtspHeaderNames.PUBLIC, PUBLIC_METHODS);
        // OPTIONS is a keep-alive too (GStreamer's, when GET_PARAMETER is not offered), with the session's credentials:
        // without them it keeps nothing alive and says nothing about the session
        RtspSession session = ownSession(ctx, request);
        if (session != null && refusal(ctx, request, session.stream(), cseq) == null) {
            session.touch();
            response.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        }
        ctx.writeAndFlush(response);
    }

    private void describe(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        StreamPath.Target target = StreamPath.target(request.uri());
        RtspStream stream = target == null || target.track() ? null : server.stream(target.path());
        if (stream == null) {
            ctx.writeAndFlush(unknownPath(ctx, request, cseq));
            return;
        }
        FullHttpResponse refusal = refusal(ctx, request, stream, cseq);
        if (refusal != null) {
            ctx.writeAndFlush(refusal);
            return;
        }
        String contentBase = contentBase(request.uri());
        InetAddress local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress();
        if (stream.formatKnown().isDone() || pendingDescribe != null) {
            // Known, or another DESCRIBE waits already: this one answers with what is known rather than wait too.
            answerDescribe(ctx, stream, cseq, contentBase, local);
            return;
        }
        pendingDescribe = new PendingDescribe(ctx, stream, () -> answerDescribe(ctx, stream, cseq, contentBase, local));
    }

    private void answerDescribe(ChannelHandlerContext ctx, RtspStream stream, String cseq, String contentBase,
                                InetAddress local) {
        if (!ctx.channel().isActive()) {
            return;
        }
        String sdp = RtspSessionDescription.of(stream.path(), local, stream.instanceId(), stream.format());
        FullHttpResponse response = RtspResponses.withBody(RtspResponseStatuses.OK, cseq, SDP, sdp);
        response.headers().set(RtspHeaderNames.CONTENT_BASE, contentBase);
        ctx.writeAndFlush(response);
    }

    private void setup(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        StreamPath.Target target = StreamPath.target(request.uri());
        RtspStream stream = target == null ? null : server.stream(target.path());
        if (stream == null) {
            ctx.writeAndFlush(unknownPath(ctx, request, cseq));
            return;
        }
        FullHttpResponse refusal = refusal(ctx, request, stream, cseq);
        if (refusal != null) {
            ctx.writeAndFlush(refusal);
            return;
        }
        if (request.headers().contains(RtspHeaderNames.SESSION)) {
            // One track per path, so a session never needs a second SETUP.
            ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.METHOD_NOT_VALID, cseq));
            return;
        }
        TransportRequest transport = TransportRequest.choose(request.headers().get(RtspHeaderNames.TRANSPORT),
                server.isTls());
        int[] interleaved = transport == null || !transport.interleaved() ? new int[] {0, 0} : interleavedChannels(transport);
        if (transport == null || interleaved == null) {
            ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.UNSUPPORTED_TRANSPORT, cseq));
            return;
        }
        RtspSession session = server.openSession(stream, ctx.channel(), transport, interleaved[0], interleaved[1]);
        if (session == null) {
            ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.SERVICE_UNAVAILABLE, cseq));
            return;
        }
        sessions.removeIf(RtspSession::ended);
        sessions.add(session);
        if (transport.interleaved()) {
            channels.put(interleaved[0], session);
            channels.put(interleaved[1], session);
            rtcpChannels.put(interleaved[1], session);
        }
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        response.headers().set(RtspHeaderNames.TRANSPORT, transport.reply(server.rtpPort(), server.rtcpPort(),
                interleaved[0], interleaved[1], session.viewer().ssrc()));
        response.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        ctx.writeAndFlush(response);
    }

    /** The client's interleaved channels if free on this connection, else the lowest free pair; null when taken. */
    private int[] interleavedChannels(TransportRequest transport) {
        channels.values().removeIf(RtspSession::ended);
        rtcpChannels.values().removeIf(RtspSession::ended);
        if (transport.rtpChannel() >= 0) {
            boolean free = transport.rtpChannel() != transport.rtcpChannel()
                    && !channels.containsKey(transport.rtpChannel()) && !channels.containsKey(transport.rtcpChannel());
            return free ? new int[] {transport.rtpChannel(), transport.rtcpChannel()} : null;
        }
        for (int channel = 0; channel < 255; channel += 2) {
            if (!channels.containsKey(channel) && !channels.containsKey(channel + 1)) {
                return new int[] {channel, channel + 1};
            }
        }
        return null;
    }

    private void inSession(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        HttpMethod method = request.method();
        if (!request.headers().contains(RtspHeaderNames.SESSION) && method.equals(RtspMethods.GET_PARAMETER)) {
            ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.OK, cseq)); // a keep-alive of the connection
            return;
        }
        RtspSession session = ownSession(ctx, request);
        if (session == null) {
            ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.SESSION_NOT_FOUND, cseq));
            return;
        }
        FullHttpResponse refusal = refusal(ctx, request, session.stream(), cseq);
        if (refusal != null) {
            ctx.writeAndFlush(refusal);
            return;
        }
        session.touch();
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        if (method.equals(RtspMethods.TEARDOWN)) {
            server.endSession(session, "TEARDOWN", false, false);
            ctx.writeAndFlush(response);
            return;
        }
        response.headers().set(RtspHeaderNames.SESSION, sessionHeader(session));
        if (method.equals(RtspMethods.PLAY)) {
            boolean firstPlay = session.markPlayed();
            RtpViewer.RtpInfo info = session.viewer().play(session.stream().nowTicks());
            response.headers().set(RtspHeaderNames.RANGE, LIVE_RANGE);
            response.headers().set(RtspHeaderNames.RTP_INFO, "url=" + trackUrl(request.uri()) + ";seq="
                    + info.sequenceNumber() + ";rtptime=" + info.rtpTimestamp());
            // The response goes out before the first frame: for TCP viewers both use this event loop, in this order.
            ctx.writeAndFlush(response);
            session.stream().startPlaying(session);
            // A viewer is worth a line when it starts watching; SETUPs that never play, and the PAUSE/PLAY of one
            // viewer, are a client's to repeat at will, so they stay at DEBUG.
            if (firstPlay) {
                LOG.info("Playing {}", session);
            }
            LOG.debug("Playing {} ({})", session, session.id());
            return;
        }
        if (method.equals(RtspMethods.PAUSE)) {
            session.stream().stopPlaying(session);
            session.viewer().pause();
            LOG.debug("Paused {} ({})", session, session.id());
        }
        ctx.writeAndFlush(response);
    }

    /** The session the request's Session header names, if it exists and belongs to this client's address. */
    private RtspSession ownSession(ChannelHandlerContext ctx, FullHttpRequest request) {
        String header = request.headers().get(RtspHeaderNames.SESSION);
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        RtspSession session = server.session((semicolon < 0 ? header : header.substring(0, semicolon)).trim());
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        return session != null && session.client().getAddress().equals(client) ? session : null;
    }

    /** Null when the client may use the stream; otherwise the 403, 401 or 503 that says why not. */
    private FullHttpResponse refusal(ChannelHandlerContext ctx, FullHttpRequest request, RtspStream stream, String cseq) {
        FullHttpResponse refusal = refusal(ctx, request, "/" + stream.path(), stream.allowedClients().allows(
                clientAddress(ctx)), stream.authenticator(), cseq);
        if (refusal == null && !granted) {
            granted = true;
            if (authenticationDeadline != null) {
                authenticationDeadline.cancel(false);
            }
        }
        return refusal;
    }

    /**
     * What a path no stream serves answers: what a protected path would, so that a client without credentials cannot
     * tell which paths exist. 403 to an address some path refuses; 401, with a challenge nobody can answer, when some
     * path asks for credentials; 404 only when no path would refuse the request.
     */
    private FullHttpResponse unknownPath(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        FullHttpResponse refusal = refusal(ctx, request, "an unknown path",
                server.allowedOnEveryPath(clientAddress(ctx)), server.unknownPathAuthenticator(), cseq);
        return refusal != null ? refusal : RtspResponses.empty(RtspResponseStatuses.NOT_FOUND, cseq);
    }

    private FullHttpResponse refusal(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                     boolean addressAllowed, ViewerAuthenticator authenticator, String cseq) {
        ViewerAccess access = ViewerAccess.decide(server.authenticationThrottle(), clientAddress(ctx),
                request.method() + " of " + path, addressAllowed, authenticator, ctx.channel().id().asLongText(),
                request.method().name(), request.uri(), request.headers().get(RtspHeaderNames.AUTHORIZATION));
        FullHttpResponse response = switch (access.outcome()) {
            case GRANTED -> null;
            case THROTTLED -> RtspResponses.empty(RtspResponseStatuses.SERVICE_UNAVAILABLE, cseq);
            case FORBIDDEN -> RtspResponses.empty(RtspResponseStatuses.FORBIDDEN, cseq);
            case UNAUTHORIZED -> RtspResponses.empty(RtspResponseStatuses.UNAUTHORIZED, cseq);
        };
        if (access.outcome() == ViewerAccess.Outcome.THROTTLED) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, access.retryAfterSeconds());
        } else if (access.outcome() == ViewerAccess.Outcome.UNAUTHORIZED) {
            response.headers().set(RtspHeaderNames.WWW_AUTHENTICATE, access.challenge());
        }
        return response;
    }

    private static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }

    private String sessionHeader(RtspSession session) {
        return session.id() + ";timeout=" + server.settings().sessionTimeoutSeconds();
    }

    /** The URL relative control URLs resolve against: the request URL, without query, ending in a slash. */
    private static String contentBase(String uri) {
        int query = uri.indexOf('?');
        String base = query < 0 ? uri : uri.substring(0, query);
        return base.endsWith("/") ? base : base + "/";
    }

    private static String trackUrl(String uri) {
        StreamPath.Target target = StreamPath.target(uri);
        if (target != null && target.track()) {
            return uri;
        }
        return contentBase(uri) + StreamPath.TRACK_CONTROL;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (RtspSession session : sessions) {
                if (session.interleaved()) {
                    session.viewer().scheduleDrain();
                }
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Whether a session set up on this connection is still there; sessionless connections are closed sooner. */
    boolean holdsSession() {
        for (RtspSession session : sessions) {
            if (!session.ended()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pendingDescribe != null) {
            pendingDescribe.cancel();
        }
        if (authenticationDeadline != null) {
            authenticationDeadline.cancel(false);
        }
        // TCP viewers' packets went over this connection, so their sessions end with it, and so do sessions never
        // played. Playing UDP sessions outlive it (RFC 2326 §3) while their viewer's RTCP keeps coming: they end
        // with TEARDOWN from another connection, RTCP BYE, or RTCP silence (RtspServer.housekeep).
        for (RtspSession session : sessions) {
            if (session.interleaved()) {
                server.endSession(session, "the connection closed", false, false);
            } else if (!session.played()) {
                server.endSession(session, "its connection closed before PLAY", false, false);
            } else {
                session.orphan();
            }
        }
        ctx.fireChannelInactive();
    }

    /**
     * A DESCRIBE that answers when its path's format becomes known or after {@link #DESCRIBE_WAIT_MILLIS}, whichever
     * comes first, on the connection's event loop; the stream forgets it either way.
     */
    private final class PendingDescribe {
        private final RtspStream stream;
        private final Runnable answer;
        private final Runnable formatKnown;
        private final ScheduledFuture<?> timeout;

        PendingDescribe(ChannelHandlerContext ctx, RtspStream stream, Runnable answer) {
            this.stream = stream;
            this.answer = answer;
            this.formatKnown = () -> ctx.executor().execute(this::answer);
            this.timeout = ctx.executor().schedule(this::answer, DESCRIBE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            stream.whenFormatKnown(formatKnown);
        }

        /** Runs once, from whichever of format and timeout comes first. */
        private void answer() {
            if (pendingDescribe != this) {
                return;
            }
            cancel();
            answer.run();
        }

        void cancel() {
            pendingDescribe = null;
            timeout.cancel(false);
            stream.forgetFormatWaiter(formatKnown);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
