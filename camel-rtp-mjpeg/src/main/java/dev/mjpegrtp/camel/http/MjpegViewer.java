package dev.mjpegrtp.camel.http;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One {@code .mjpeg} connection. At most one frame is on its way to it: a frame published while the previous one is
 * still being written (the viewer reads slower than frames come) is skipped, so a slow viewer gets the newest frame
 * when it is ready for one, never a backlog, and holds one shared frame whatever its speed. A viewer whose frame
 * stays unwritten for the viewer timeout has stalled and is closed.
 */
final class MjpegViewer {

    private final Channel channel;
    private final long timeoutNanos;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesSkipped = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final long connectedNanos = System.nanoTime();
    /** When the frame being written was handed over; 0 when none is. Written on the event loop, read anywhere. */
    private volatile long writingSinceNanos;

    MjpegViewer(Channel channel, long timeoutNanos) {
        this.channel = channel;
        this.timeoutNanos = timeoutNanos;
    }

    /** Sends the frame unless the previous one is still being written; called by the stream, one frame at a time. */
    void offer(MultipartFrame frame) {
        if (writingSinceNanos != 0 || !channel.isActive()) {
            framesSkipped.incrementAndGet();
            return;
        }
        writingSinceNanos = System.nanoTime();
        ByteBuf part = frame.retainedPart();
        int length = part.readableBytes();
        channel.writeAndFlush(part).addListener(written -> {
            if (written.isSuccess()) {
                framesSent.incrementAndGet();
                bytesSent.addAndGet(length);
            }
            writingSinceNanos = 0;
        });
    }

    /** Whether the frame being written has waited longer than the viewer timeout. */
    boolean stalled(long nowNanos) {
        long since = writingSinceNanos;
        return since != 0 && nowNanos - since > timeoutNanos;
    }

    void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress client() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    long connectedNanos() {
        return connectedNanos;
    }

    long framesSent() {
        return framesSent.get();
    }

    long framesSkipped() {
        return framesSkipped.get();
    }

    long bytesSent() {
        return bytesSent.get();
    }
}
