package dev.mjpegrtp.camel.http;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.AddressFilter;
import dev.mjpegrtp.camel.rtpmjpeg.FrameRateMeter;
import dev.mjpegrtp.camel.server.ViewerAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One path of an HTTP server: its latest frame, for snapshots and for the viewers of its {@code .mjpeg} stream, who
 * all get each frame from the same buffer. Frames are published by the endpoint's producers, one at a time.
 */
final class HttpMjpegStream {

    private final String path;
    private final int maxViewers;
    private final long viewerTimeoutNanos;
    private final AddressFilter allowedClients;
    private final ViewerAuthenticator authenticator;
    private final Set<MjpegViewer> viewers = ConcurrentHashMap.newKeySet();
    private final FrameRateMeter rate = new FrameRateMeter();
    private final AtomicLong framesPublished = new AtomicLong();
    private final AtomicLong viewersRejected = new AtomicLong();
    private final AtomicLong snapshotsServed = new AtomicLong();
    /** Frames sent, skipped and bytes of viewers that left, so that totals survive them. */
    private final AtomicLong pastFramesSent = new AtomicLong();
    private final AtomicLong pastFramesSkipped = new AtomicLong();
    private final AtomicLong pastBytesSent = new AtomicLong();
    /** Entity tags of this run: frame numbers start from the clock so that a restarted stream does not repeat them. */
    private long nextSequence = System.currentTimeMillis() << 10;
    private MultipartFrame latest;
    private boolean closed;

    HttpMjpegStream(HttpMjpegConfiguration configuration) {
        this.path = configuration.getPath();
        this.maxViewers = configuration.getMaxViewers();
        this.viewerTimeoutNanos = configuration.getViewerTimeout() * 1_000_000L;
        this.allowedClients = configuration.allowedClientsFilter();
        this.authenticator = configuration.authenticator();
    }

    /** Makes the JPEG the latest frame and offers it to every viewer; the bytes are copied, {@code jpeg} is not kept. */
    void publish(ByteBuffer jpeg, ByteBufAllocator allocator) {
        MultipartFrame frame;
        synchronized (this) {
            if (closed) {
                return;
            }
            frame = MultipartFrame.of(jpeg, nextSequence++, allocator);
            if (latest != null) {
                latest.release();
            }
            latest = frame;
            rate.frame(frame.jpegLength());
            framesPublished.incrementAndGet();
            for (MjpegViewer viewer : viewers) {
                viewer.offer(frame);
            }
        }
    }

    /** The latest frame's JPEG, whose reference the caller releases; null before the first frame. */
    synchronized Snapshot snapshot() {
        return latest == null ? null : new Snapshot(latest.retainedJpeg(), latest.etag());
    }

    /** Adds a viewer unless the path serves its maximum; the viewer leaves when its connection closes. */
    boolean admit(MjpegViewer viewer) {
        synchronized (this) {
            if (closed || viewers.size() >= maxViewers) {
                viewersRejected.incrementAndGet();
                return false;
            }
            viewers.add(viewer);
        }
        viewer.channel().closeFuture().addListener(closedConnection -> remove(viewer));
        return true;
    }

    private void remove(MjpegViewer viewer) {
        if (viewers.remove(viewer)) {
            pastFramesSent.addAndGet(viewer.framesSent());
            pastFramesSkipped.addAndGet(viewer.framesSkipped());
            pastBytesSent.addAndGet(viewer.bytesSent());
        }
    }

    /** Sends a new viewer the latest frame, so that it shows a picture before the next frame comes. */
    synchronized void offerLatest(MjpegViewer viewer) {
        if (latest != null) {
            viewer.offer(latest);
        }
    }

    /** Closes viewers whose frame has waited longer than the viewer timeout; returns how many. */
    int closeStalled(long nowNanos) {
        int stalled = 0;
        for (MjpegViewer viewer : viewers) {
            if (viewer.stalled(nowNanos)) {
                viewer.close();
                stalled++;
            }
        }
        return stalled;
    }

    /** Disconnects every viewer and lets go of the latest frame. */
    void close() {
        synchronized (this) {
            closed = true;
            if (latest != null) {
                latest.release();
                latest = null;
            }
        }
        viewers.forEach(MjpegViewer::close);
    }

    void snapshotServed() {
        snapshotsServed.incrementAndGet();
    }

    long viewerTimeoutMillis() {
        return viewerTimeoutNanos / 1_000_000L;
    }

    String path() {
        return path;
    }

    AddressFilter allowedClients() {
        return allowedClients;
    }

    ViewerAuthenticator authenticator() {
        return authenticator;
    }

    Collection<MjpegViewer> viewers() {
        return viewers;
    }

    int viewerCount() {
        return viewers.size();
    }

    double framesPerSecond() {
        return rate.framesPerSecond();
    }

    int lastFrameSize() {
        return rate.lastFrameSize();
    }

    long framesPublished() {
        return framesPublished.get();
    }

    long viewersRejected() {
        return viewersRejected.get();
    }

    long snapshotsServed() {
        return snapshotsServed.get();
    }

    long framesSent() {
        return pastFramesSent.get() + viewers.stream().mapToLong(MjpegViewer::framesSent).sum();
    }

    long framesSkipped() {
        return pastFramesSkipped.get() + viewers.stream().mapToLong(MjpegViewer::framesSkipped).sum();
    }

    long bytesSent() {
        return pastBytesSent.get() + viewers.stream().mapToLong(MjpegViewer::bytesSent).sum();
    }

    /** A frame's JPEG and its entity tag. */
    record Snapshot(ByteBuf jpeg, String etag) {
    }
}
