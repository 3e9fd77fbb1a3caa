package dev.mjpegrtp.camel.gstreamer;

/**
 * The arrays frames are copied into, so that a stream allocates nothing per frame. The pull thread routes one frame at
 * a time and waits for its exchange to be done, so one array is in use at a time and one is all the pool keeps: a
 * frame's lease comes back when its exchange is done, unless the exchange was copied (the route handed the frame on,
 * see {@link FrameLease}) or is still on its way (the pull thread stopped waiting). Then the lease is left to its
 * holders and the next frame gets a new array: memory stays bounded by what the route itself keeps. An array grows,
 * with a quarter of headroom, when a frame does not fit, so a stream of similar frames settles on one. Owned by the
 * pull thread.
 */
final class FramePool {

    private final FrameMetrics metrics;
    private FrameLease free;

    FramePool(FrameMetrics metrics) {
        this.metrics = metrics;
    }

    /** A lease whose array holds at least {@code size} bytes. */
    FrameLease lease(int size) {
        FrameLease lease = free;
        free = null;
        if (lease == null || lease.array().length < size) {
            lease = new FrameLease(size + size / 4);
            metrics.frameArrayAllocated();
        }
        return lease;
    }

    /** The exchange holding the lease is done: the array is reused unless the exchange was copied. */
    void giveBack(FrameLease lease) {
        if (lease.isCopied()) {
            metrics.frameKeptByRoute();
        } else {
            free = lease;
        }
    }
}
