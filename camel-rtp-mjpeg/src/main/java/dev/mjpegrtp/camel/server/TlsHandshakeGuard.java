package dev.mjpegrtp.camel.server;

import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import dev.mjpegrtp.camel.rtpmjpeg.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Sits behind a connection's {@link io.netty.handler.ssl.SslHandler} until its handshake ends. A failed handshake
 * (anything but a ClientHello, a client that does not trust the certificate, no client certificate where one is
 * required, the handshake timeout) closes the connection and is counted; what it was is logged once per kind per
 * minute, without a stack trace, since any peer can fail a handshake at will. A successful one removes the guard.
 */
public final class TlsHandshakeGuard extends ChannelInboundHandlerAdapter {

    private final AtomicLong failures;
    private final RateLimitedLog log;

    /**
     * @param failures counts failed handshakes, shared by the server's connections
     * @param log      the server's rate-limited log for failures peers cause
     */
    public TlsHandshakeGuard(AtomicLong failures, RateLimitedLog log) {
        this.failures = failures;
        this.log = log;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                failures.incrementAndGet();
                log.failure("TLS handshake with " + ctx.channel().remoteAddress() + " failed", completion.cause());
                ctx.close();
                return;
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /** What the SslHandler throws for a failed handshake is the handshake's failure, counted with its event. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
