package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.function.Consumer;

/**
 * Puts packets back in RTP sequence order within a small window. A packet that arrives early waits in its slot until
 * the ones before it arrive; one that is still missing when a packet a whole window ahead arrives is given up on, and
 * the waiting packets go on in order (the depacketizer then sees the gap and drops that frame). Late and duplicate
 * packets are discarded, and so is a lone packet thousands of numbers away, which would otherwise derail the stream;
 * two consecutive ones there are a restarted sender and are followed. Sequence numbers wrap at 2^16.
 *
 * <p>Holds at most {@code size} packets. Not thread-safe: it lives on one channel's event loop.
 *
 * @param <T> the packet; whoever receives it from {@code deliver} or {@code discard} owns it
 */
final class ReorderWindow<T> {

    private static final int SEQUENCE_MASK = 0xFFFF;
    /** RFC 3550 Appendix A.1: jumps beyond these are a stray packet or a restarted sender, not loss or reordering. */
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final Object[] slots;
    private final int mask;
    private final Consumer<T> deliver;
    private final Consumer<T> discard;
    private int next = -1;
    /** The sequence number that would confirm a jump as a restarted sender, or -1. */
    private int probation = -1;
    private long late;
    private long duplicates;
    private long strays;

    /** @param size a power of two */
    ReorderWindow(int size, Consumer<T> deliver, Consumer<T> discard) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("window size must be a power of two: " + size);
        }
        this.slots = new Object[size];
        this.mask = size - 1;
        this.deliver = deliver;
        this.discard = discard;
    }

    void offer(int sequenceNumber, T packet) {
        if (next < 0) {
            next = sequenceNumber;
        }
        int ahead = (sequenceNumber - next) & SEQUENCE_MASK;
        if (ahead >= MAX_DROPOUT && ahead <= SEQUENCE_MASK + 1 - MAX_MISORDER) {
            // One packet this far off is a stray; two in a row mean the sender restarted its sequence (A.1).
            if (sequenceNumber != probation) {
                probation = (sequenceNumber + 1) & SEQUENCE_MASK;
                strays++;
                discard.accept(packet);
                return;
            }
            probation = -1;
            flush();
            next = sequenceNumber;
            ahead = 0;
        } else if (ahead > SEQUENCE_MASK + 1 - MAX_MISORDER) {
            late++;
            discard.accept(packet);
            return;
        }
        if (ahead >= slots.length) {
            // Too far ahead to wait any longer for what is missing: hand on what waits, in order, and move on.
            flush();
            next = sequenceNumber;
        }
        int slot = sequenceNumber & mask;
        if (slots[slot] != null) {
            duplicates++;
            discard.accept(packet);
            return;
        }
        slots[slot] = packet;
        drain();
    }

    /** Delivers every waiting packet in sequence order, skipping the gaps. */
    void flush() {
        for (int i = 0; i < slots.length; i++) {
            deliverSlot(next);
            next = (next + 1) & SEQUENCE_MASK;
        }
    }

    /** Hands on every waiting packet and forgets the sequence: the next packet starts a new stream (a new sender). */
    void restart() {
        if (next >= 0) {
            flush();
        }
        next = -1;
        probation = -1;
    }

    /** Discards every waiting packet (when the channel closes). */
    void clear() {
        for (int i = 0; i < slots.length; i++) {
            @SuppressWarnings("unchecked")
            T packet = (T) slots[i];
            if (packet != null) {
                slots[i] = null;
                discard.accept(packet);
            }
        }
    }

    private void drain() {
        while (slots[next & mask] != null) {
            deliverSlot(next);
            next = (next + 1) & SEQUENCE_MASK;
        }
    }

    private void deliverSlot(int sequenceNumber) {
        int slot = sequenceNumber & mask;
        @SuppressWarnings("unchecked")
        T packet = (T) slots[slot];
        if (packet != null) {
            slots[slot] = null;
            deliver.accept(packet);
        }
    }

    /** Packets that arrived after the window had moved past them. */
    long late() {
        return late;
    }

    long duplicates() {
        return duplicates;
    }

    /** Packets far outside the stream's sequence that did not start a new one. */
    long strays() {
        return strays;
    }
}
