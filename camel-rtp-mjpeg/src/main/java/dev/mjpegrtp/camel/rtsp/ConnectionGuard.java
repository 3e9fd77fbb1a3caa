package dev.mjpegrtp.camel.rtsp;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.mjpegrtp.camel.server.ServerLimits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one connection may cost: a request must arrive whole within the request timeout (no slow loris), a
 * connection may make at most so many requests a second, and one that sends nothing for the session timeout is
 * closed, or for the much shorter connection idle timeout while it holds no session: a connection slot is worth
 * keeping for a viewer, not for a client that only connected. Sits after the decoder, so it sees whole requests and interleaved frames.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long CHECK_INTERVAL_MILLIS = 500;
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InterleavedRtspDecoder decoder;
    private final long requestTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long sessionlessIdleTimeoutNanos;
    private final BooleanSupplier holdsSession;
    private final int maxRequestsPerSecond;

    private long lastMessageNanos = System.nanoTime();
    private long rateWindowStartNanos = lastMessageNanos;
    private int requestsInWindow;
    private ScheduledFuture<?> check;

    /** @param holdsSession whether the connection holds a session now; asked on the connection's event loop */
    ConnectionGuard(InterleavedRtspDecoder decoder, ServerLimits limits, RtspServerSettings settings,
                    BooleanSupplier holdsSession) {
        this.decoder = decoder;
        this.holdsSession = holdsSession;
        this.sessionlessIdleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.connectionIdleTimeoutMillis());
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis());
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.sessionTimeoutMillis());
        this.maxRequestsPerSecond = settings.maxRequestsPerSecond();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), CHECK_INTERVAL_MILLIS, CHECK_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastMessageNanos = now;
        if (msg instanceof FullHttpRequest request) {
            if (now - rateWindowStartNanos > RATE_WINDOW_NANOS) {
                rateWindowStartNanos = now;
                requestsInWindow = 0;
            }
            if (++requestsInWindow > maxRequestsPerSecond) {
                LOG.debug("Closing {}: more than {} requests in a second", ctx.channel().remoteAddress(),
                        maxRequestsPerSecond);
                String cseq = request.headers().get(RtspHeaderNames.CSEQ);
                ReferenceCountUtil.release(msg);
                RtspResponses.rejectAndClose(ctx, RtspResponseStatuses.SERVICE_UNAVAILABLE, cseq);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void check(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        long partialSince = decoder.partialSinceNanos();
        if (partialSince != 0 && now - partialSince > requestTimeoutNanos) {
            LOG.debug("Closing {}: a request took longer than {} ms to arrive", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos));
            check.cancel(false);
            RtspResponses.rejectAndClose(ctx, RtspResponseStatuses.REQUEST_TIMEOUT, null);
            return;
        }
        long idleTimeout = holdsSession.getAsBoolean() ? idleTimeoutNanos : sessionlessIdleTimeoutNanos;
        if (now - lastMessageNanos > idleTimeout) {
            LOG.debug("Closing {}: nothing received for {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(idleTimeout));
            check.cancel(false);
            ctx.close();
        }
    }
}
