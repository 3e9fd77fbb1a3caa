package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the datagrams the kernel refused. Packets are written with the void promise, so a failed write arrives here
 * instead of costing a promise per packet; a lost datagram is never an exception for the route.
 */
@ChannelHandler.Sharable
public final class SendErrorCounter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SendErrorCounter.class);

    private final LongAdder errors = new LongAdder();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.increment();
        // One line per thousand, not one per packet: a receiver that is down for a minute is not a log storm.
        if (errors.sum() % 1000 == 1) {
            LOG.warn("Sending on {} failed ({} so far): {}", ctx.channel(), errors.sum(), cause.toString());
        }
    }

    public long count() {
        return errors.sum();
    }
}
