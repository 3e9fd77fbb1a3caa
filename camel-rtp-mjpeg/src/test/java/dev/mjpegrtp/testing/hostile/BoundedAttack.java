package dev.mjpegrtp.testing.hostile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An attack on a server under test, from plain sockets on 127.0.0.x, running on a thread of its own from
 * {@link #start()} until {@link #close()}. Bounded whatever its caller does: it stops by itself after
 * {@link #MAX_DURATION}, and each attack bounds the sockets it opens and the packets or requests it sends.
 */
public abstract class BoundedAttack implements Attack {

    /** The longest any attack runs, even if nobody closes it. */
    public static final Duration MAX_DURATION = Duration.ofSeconds(60);

    private final Thread thread;
    private final List<String> breaches = new ArrayList<>();
    private volatile boolean stopped;
    private volatile long deadlineNanos;
    private volatile Throwable failure;

    protected BoundedAttack(String name) {
        this.thread = new Thread(this::runBounded, "attack-" + name);
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        deadlineNanos = System.nanoTime() + MAX_DURATION.toNanos();
        thread.start();
    }

    /** The attack itself: loops while {@link #running()}, then returns; its sockets are closed in {@link #release()}. */
    protected abstract void attack() throws Exception;

    /** Closes every socket the attack opened. Called once, after {@link #attack()} has returned. */
    protected abstract void release();

    protected final boolean running() {
        return !stopped && System.nanoTime() < deadlineNanos;
    }

    /** Sleeps, or returns at once when the attack is stopped. */
    protected final void pause(long millis) {
        try {
            Thread.sleep(Math.max(0, Math.min(millis, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))));
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    /** Records something the server let the attacker do that it must not (a replay accepted...). */
    protected final synchronized void breach(String what) {
        if (breaches.size() < 10) {
            breaches.add(what);
        }
    }

    @Override
    public final synchronized List<String> breaches() {
        return List.copyOf(breaches);
    }

    private void runBounded() {
        try {
            attack();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Stops the attack and closes its sockets; fails if the attack itself broke (the attacker, not the server). */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        release();
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop");
        }
        if (failure != null) {
            throw new IllegalStateException(thread.getName() + " failed: " + failure, failure);
        }
    }
}
