package dev.mjpegrtp.camel.rtsp;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.mjpegrtp.camel.rtpmjpeg.AddressFilter;
import dev.mjpegrtp.camel.rtpmjpeg.FrameRateMeter;
import dev.mjpegrtp.camel.rtpmjpeg.PacketizedFrame;
import dev.mjpegrtp.camel.rtpmjpeg.RtpClock;
import dev.mjpegrtp.camel.server.ViewerAuthenticator;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import io.netty.buffer.ByteBufAllocator;

/**
 * One path of an RTSP server: receives the route's frames and fans each out to the viewers playing it, and holds
 * what the path's viewers may do (credentials, allowed clients, how many).
 *
 * <p>A frame is packetized once, and only when somebody watches; each playing viewer then gets a reference to it in
 * its own bounded queue. With one viewer playing, the frame has room for that viewer's RTP headers, which go in place
 * as they would for an rtp-mjpeg destination. Publishing never blocks on a viewer.
 */
final class RtspStream {

    /** How much the frame interval average moves towards each new interval. */
    private static final double INTERVAL_SMOOTHING = 0.1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String path;
    /** Tells this run of the stream from earlier ones in the SDP's o= line. */
    private final long instanceId = RANDOM.nextLong() & Long.MAX_VALUE;
    private final ViewerAuthenticator authenticator;
    private final AddressFilter allowedClients;
    private final int maxViewers;
    private final int maxQueuedFrames;
    private final long viewerTimeoutNanos;
    private final Set<RtspSession> sessions = ConcurrentHashMap.newKeySet();
    private final List<RtpViewer> playing = new CopyOnWriteArrayList<>();
    private final CompletableFuture<VideoFormat> formatKnown = new CompletableFuture<>();
    /** DESCRIBEs waiting for the format: at most one per connection, each removed when it answers. */
    private final Set<Runnable> formatWaiters = ConcurrentHashMap.newKeySet();
    private final LongAdder framesPublished = new LongAdder();
    /** Counted under this stream's lock, in {@link #publish}. */
    private final FrameRateMeter frameRate = new FrameRateMeter();
    private final LongAdder viewersRejected = new LongAdder();
    private final LongAdder endedFramesSent = new LongAdder();
    private final LongAdder endedFramesDropped = new LongAdder();
    private final LongAdder endedBytesSent = new LongAdder();

    private volatile VideoFormat format;
    private volatile long lastTicks = -1;
    private volatile long lastPublishNanos;
    private double averageInterval;

    RtspStream(RtspMjpegConfiguration configuration) {
        this.path = StreamPath.normalize(configuration.getPath());
        this.authenticator = configuration.authenticator();
        this.allowedClients = configuration.allowedClientsFilter();
        this.maxViewers = configuration.getMaxViewers();
        this.maxQueuedFrames = configuration.getMaxQueuedFrames();
        this.viewerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(configuration.getViewerTimeout());
    }

    /**
     * Sends a frame to every viewer playing this path. Synchronized so that frames from several routes reach every
     * viewer in one order.
     *
     * @param ticks the frame's presentation time on a 90 kHz clock
     */
    synchronized void publish(Rfc2435Frame frame, long ticks, ByteBufAllocator allocator) {
        learnFormat(frame, ticks);
        framesPublished.increment();
        frameRate.frame(frame.totalPayloadLength());
        if (playing.isEmpty()) {
            return;
        }
        // A frame for one viewer holds that viewer's headers; one for several, only what they share.
        PacketizedFrame packets = playing.size() == 1
                ? PacketizedFrame.forOneDestination(frame, ticks, playing.get(0).sink())
                : PacketizedFrame.shared(frame, ticks, allocator);
        try {
            for (RtpViewer viewer : playing) {
                viewer.offer(packets);
            }
        } finally {
            packets.release();
        }
    }

    private void learnFormat(Rfc2435Frame frame, long ticks) {
        long previous = lastTicks;
        if (previous >= 0 && ticks > previous) {
            long interval = ticks - previous;
            averageInterval = averageInterval == 0 ? interval
                    : averageInterval + INTERVAL_SMOOTHING * (interval - averageInterval);
        }
        lastTicks = ticks;
        lastPublishNanos = System.nanoTime();
        double fps = averageInterval == 0 ? 0 : RtpHeader.CLOCK_RATE / averageInterval;
        VideoFormat current = format;
        if (current == null || current.width() != frame.jpeg().width() || current.height() != frame.jpeg().height()
                || Math.abs(current.framesPerSecond() - fps) >= 0.01) {
            format = new VideoFormat(frame.jpeg().width(), frame.jpeg().height(), Math.round(fps * 100) / 100.0);
        }
        if (fps > 0 && formatKnown.complete(format)) {
            for (Runnable waiter : formatWaiters) {
                if (formatWaiters.remove(waiter)) {
                    waiter.run();
                }
            }
        }
    }

    /** The stream's 90 kHz clock now: the last frame's time plus the time since it came. */
    long nowTicks() {
        long ticks = lastTicks;
        if (ticks < 0) {
            return 0;
        }
        long elapsed = System.nanoTime() - lastPublishNanos;
        return ticks + RtpClock.ticks(elapsed);
    }

    FrameRateMeter frameRate() {
        return frameRate;
    }

    /** Completes once frames have shown size and rate; what DESCRIBE waits for before it answers. */
    CompletableFuture<VideoFormat> formatKnown() {
        return formatKnown;
    }

    /**
     * Runs {@code waiter} once, when frames have shown size and rate (at once if they have), unless
     * {@link #forgetFormatWaiter forgotten} first. Unlike a dependent of {@link #formatKnown}, a forgotten waiter
     * leaves nothing behind on a path that never gets a frame.
     */
    void whenFormatKnown(Runnable waiter) {
        formatWaiters.add(waiter);
        if (formatKnown.isDone() && formatWaiters.remove(waiter)) {
            waiter.run();
        }
    }

    void forgetFormatWaiter(Runnable waiter) {
        formatWaiters.remove(waiter);
    }

    /** Size and rate as far as known; null before the first frame. */
    VideoFormat format() {
        return format;
    }

    /** Counts the session in, unless the path already serves {@code maxViewers}. */
    synchronized boolean admit(RtspSession session) {
        if (sessions.size() >= maxViewers) {
            viewersRejected.increment();
            return false;
        }
        sessions.add(session);
        return true;
    }

    /** The session's viewer gets every frame from the next one on, unless the session has ended meanwhile. */
    synchronized void startPlaying(RtspSession session) {
        if (sessions.contains(session) && !playing.contains(session.viewer())) {
            playing.add(session.viewer());
        }
    }

    synchronized void stopPlaying(RtspSession session) {
        playing.remove(session.viewer());
    }

    /** Forgets a session that ended; its viewer gets no further frame, and its counts go into the totals. */
    synchronized void remove(RtspSession session) {
        if (sessions.remove(session)) {
            RtpViewer viewer = session.viewer();
            playing.remove(viewer);
            endedFramesSent.add(viewer.framesSent());
            endedFramesDropped.add(viewer.framesDropped());
            endedBytesSent.add(viewer.bytesSent());
        }
    }

    /** What all viewers of this path were sent, those gone included. */
    synchronized Totals totals() {
        long framesSent = endedFramesSent.sum();
        long framesDropped = endedFramesDropped.sum();
        long bytesSent = endedBytesSent.sum();
        for (RtspSession session : sessions) {
            framesSent += session.viewer().framesSent();
            framesDropped += session.viewer().framesDropped();
            bytesSent += session.viewer().bytesSent();
        }
        return new Totals(framesSent, framesDropped, bytesSent);
    }

    Collection<RtspSession> sessions() {
        return List.copyOf(sessions);
    }

    String path() {
        return path;
    }

    long instanceId() {
        return instanceId;
    }

    ViewerAuthenticator authenticator() {
        return authenticator;
    }

    AddressFilter allowedClients() {
        return allowedClients;
    }

    /** Whether the path refuses some requests: it asks for credentials or serves only some addresses. */
    boolean isProtected() {
        return authenticator.asksForCredentials() || allowedClients.isRestricted();
    }

    int maxQueuedFrames() {
        return maxQueuedFrames;
    }

    long viewerTimeoutNanos() {
        return viewerTimeoutNanos;
    }

    long framesPublished() {
        return framesPublished.sum();
    }

    /** SETUPs refused because the path served maxViewers already. */
    long viewersRejected() {
        return viewersRejected.sum();
    }

    int playingViewers() {
        return playing.size();
    }

    record Totals(long framesSent, long framesDropped, long bytesSent) {
    }
}
