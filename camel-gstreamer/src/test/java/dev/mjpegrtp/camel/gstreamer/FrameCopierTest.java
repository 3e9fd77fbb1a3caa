package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy of a frame out of a GstBuffer gst1-java-core made, into the pool's array: reused once given back, grown
 * with headroom, and never reused once the exchange holding it was copied.
 */
class FrameCopierTest {

    private final FrameMetrics metrics = new FrameMetrics();
    private final FramePool pool = new FramePool(metrics);
    private final FrameCopier copier = new FrameCopier(pool);

    @BeforeAll
    static void initializeGstreamer() {
        GstreamerRuntime.initialize();
    }

    @Test
    void arrayGivenBackGrowsWithHeadroomAndIsKeptForSmallerFrames() {
        FrameLease first = copy(bytes(100, 0));
        ByteBuffer body = first.body();
        assertThat(body.position()).isZero();
        assertThat(body.remaining()).isEqualTo(100);
        assertThat(body.array()).hasSize(125);
        assertThat(body.get(99)).isEqualTo((byte) 99);
        pool.giveBack(first);

        FrameLease smaller = copy(bytes(120, 50));
        assertThat(smaller.array()).as("fits the headroom").isSameAs(first.array());
        assertThat(smaller.body().remaining()).isEqualTo(120);
        assertThat(smaller.body().get(0)).isEqualTo((byte) 50);
        pool.giveBack(smaller);

        FrameLease larger = copy(bytes(200, 0));
        assertThat(larger.array()).hasSize(250).isNotSameAs(first.array());
        assertThat(larger.body().remaining()).isEqualTo(200);
        assertThat(metrics.frameArraysAllocated()).isEqualTo(2);
        assertThat(metrics.framesKeptByRoute()).isZero();
    }

    @Test
    void copiedLeaseKeepsItsBytesAndTheNextFrameGetsAnArrayOfItsOwn() {
        FrameLease kept = copy(bytes(5, 1));
        kept.safeCopy(); // what Exchange.copy() calls
        pool.giveBack(kept);

        FrameLease next = copy(bytes(3, 7));
        assertThat(next.array()).isNotSameAs(kept.array());
        assertThat(remaining(kept.body())).containsExactly(1, 2, 3, 4, 5);
        assertThat(remaining(next.body())).containsExactly(7, 8, 9);
        assertThat(metrics.framesKeptByRoute()).isEqualTo(1);
        assertThat(metrics.frameArraysAllocated()).isEqualTo(2);
    }

    @Test
    void leaseNotGivenBackIsNeverReused() {
        FrameLease inFlight = copy(bytes(5, 1)); // an exchange the pull thread stopped waiting for
        FrameLease next = copy(bytes(5, 9));
        assertThat(next.array()).isNotSameAs(inFlight.array());
        assertThat(remaining(inFlight.body())).containsExactly(1, 2, 3, 4, 5);
    }

    private static byte[] remaining(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] bytes(int size, int first) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    private FrameLease copy(byte[] content) {
        Buffer buffer = new Buffer(content.length);
        try {
            buffer.map(true).put(content);
            buffer.unmap();
            return copier.copy(Natives.getRawPointer(buffer));
        } finally {
            buffer.dispose();
        }
    }
}
