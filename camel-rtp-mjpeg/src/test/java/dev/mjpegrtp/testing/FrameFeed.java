package dev.mjpegrtp.testing;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.ProducerTemplate;

/**
 * A live source for tests: sends JPEG frames to an endpoint at a fixed rate, cycling through the given frames, with
 * presentation times in the header the producers read, as the gstreamer consumer would.
 */
public final class FrameFeed implements AutoCloseable {

    private static final String PTS_HEADER = "CamelFramePts";

    private final ScheduledExecutorService timer;
    private final AtomicLong sent = new AtomicLong();

    private FrameFeed(ProducerTemplate template, String uri, List<byte[]> frames, int fps) {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / fps;
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "frame-feed " + uri);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> {
            long index = sent.get();
            template.sendBodyAndHeader(uri, frames.get((int) (index % frames.size())), PTS_HEADER, index * periodNanos);
            sent.incrementAndGet();
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    public static FrameFeed start(ProducerTemplate template, String uri, List<byte[]> frames, int fps) {
        return new FrameFeed(template, uri, frames, fps);
    }

    public long framesSent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
