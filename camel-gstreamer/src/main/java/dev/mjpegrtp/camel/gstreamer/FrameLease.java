package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;

import org.apache.camel.SafeCopyProperty;

/**
 * One frame's array and the {@link ByteBuffer} body over it, lent to one exchange by a {@link FramePool}. Set on the
 * exchange as a safe-copy property, it hears of every copy Camel makes of the exchange ({@code Exchange.copy()} and
 * the pooled exchange factory both call {@link #safeCopy}): a copy shares the body and may outlive the exchange
 * (seda, wireTap, multicast, recipientList, aggregate, enrich, onCompletion, mock), so a copied lease never goes back
 * to the pool and its array is left to whoever holds it.
 */
final class FrameLease implements SafeCopyProperty {

    /** The exchange property the lease is set on. */
    static final String PROPERTY = "CamelGStreamerFrameLease";

    private final byte[] array;
    private final ByteBuffer body;
    /** Set by whichever thread copies the exchange, read by the pull thread once the exchange is done. */
    private volatile boolean copied;

    FrameLease(int capacity) {
        this.array = new byte[capacity];
        this.body = ByteBuffer.wrap(array);
    }

    byte[] array() {
        return array;
    }

    /** The first {@code size} bytes of the array are the frame: the body's position is 0, its limit the size. */
    void holdFrame(int size) {
        body.clear().limit(size);
    }

    ByteBuffer body() {
        return body;
    }

    boolean isCopied() {
        return copied;
    }

    @Override
    public SafeCopyProperty safeCopy() {
        copied = true;
        return this; // a copy of the copy marks the same lease
    }
}
