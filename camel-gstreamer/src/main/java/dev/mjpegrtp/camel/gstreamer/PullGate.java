package dev.mjpegrtp.camel.gstreamer;

/**
 * Where the pull thread waits when a pull returns nothing (end of stream, an error, a stop): until the pipeline plays
 * again, which {@link #open}s the gate, or the run ends, which {@link #close}s it. The generation a pull started in
 * tells a pull that ended before the pipeline played again from one that ended after, so no restart is missed.
 */
final class PullGate {

    private int generation;
    private boolean closed;

    /** The generation to pass to {@link #await} should the pull about to start return nothing. */
    synchronized int generation() {
        return generation;
    }

    /** Waits until the gate opened after {@code generation}, or closed; returns at once if it already did. */
    synchronized void await(int generation) {
        while (!closed && this.generation == generation) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The pipeline plays again (restarted or resumed): the pull thread pulls again. */
    synchronized void open() {
        generation++;
        notifyAll();
    }

    /** The run ends: the pull thread stops waiting, for good. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
