package dev.mjpegrtp.camel.rtsp;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the responses one connection may have waiting to be sent: a client that sends requests and reads no answers
 * is closed, instead of its answers piling up in memory (the kernel's socket buffer takes what it takes; behind it,
 * Netty would buffer without limit). A connection is closed when {@value #MAX_PENDING_RESPONSES} responses wait, or
 * when waiting responses make no progress for {@value #RESPONSE_DEADLINE_MILLIS} ms. Interleaved packets pass
 * untouched: their own queue (RtpViewer) and the viewer timeout bound them.
 *
 * <p>Sits between the encoder and the decoder, so it sees responses as messages, before they become bytes.
 */
final class ResponseBackpressure extends ChannelOutboundHandlerAdapter {

    /** RTSP clients wait for each answer before the next request; a few pipelined ones are plenty. */
    static final int MAX_PENDING_RESPONSES = 8;
    /**
     * Time a waiting response may go without any being sent. A TCP viewer's responses wait behind at most the write
     * buffer's high water mark of frames, which a viewer that reads takes in well under this.
     */
    static final long RESPONSE_DEADLINE_MILLIS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(ResponseBackpressure.class);
    private static final long RESPONSE_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(RESPONSE_DEADLINE_MILLIS);

    private final Runnable closedForNotReading;
    private int pending;
    private long lastProgressNanos;
    private ScheduledFuture<?> deadline;

    /** @param closedForNotReading counts a connection this handler closes */
    ResponseBackpressure(Runnable closedForNotReading) {
        this.closedForNotReading = closedForNotReading;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof HttpResponse)) {
            ctx.write(msg, promise);
            return;
        }
        if (pending >= MAX_PENDING_RESPONSES) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new IllegalStateException("the client reads no responses"));
            closeNotReading(ctx, MAX_PENDING_RESPONSES + " responses waited to be sent");
            return;
        }
        if (pending++ == 0) {
            lastProgressNanos = System.nanoTime();
            if (deadline == null) {
                deadline = ctx.executor().schedule(() -> checkProgress(ctx), RESPONSE_DEADLINE_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }
        ctx.write(msg, promise.unvoid().addListener(written -> {
            pending--;
            lastProgressNanos = System.nanoTime();
        }));
    }

    private void checkProgress(ChannelHandlerContext ctx) {
        deadline = null;
        if (pending == 0 || !ctx.channel().isActive()) {
            return;
        }
        long waited = System.nanoTime() - lastProgressNanos;
        if (waited >= RESPONSE_DEADLINE_NANOS) {
            closeNotReading(ctx, "responses waited " + RESPONSE_DEADLINE_MILLIS + " ms to be sent");
        } else {
            deadline = ctx.executor().schedule(() -> checkProgress(ctx), RESPONSE_DEADLINE_NANOS - waited,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void closeNotReading(ChannelHandlerContext ctx, String reason) {
        if (ctx.channel().isActive()) {
            LOG.debug("Closing {}: {}", ctx.channel().remoteAddress(), reason);
            closedForNotReading.run();
            ctx.close();
        }
    }
}
