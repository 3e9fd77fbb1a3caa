package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The copy of a frame out of a GstBuffer gst1-java-core made: an array of its own, or one array reused. */
class FrameCopierTest {

    @BeforeAll
    static void initializeGstreamer() {
        GstreamerRuntime.initialize();
    }

    @Test
    void eachFrameGetsAnArrayOfItsOwn() {
        FrameCopier copier = new FrameCopier(false);
        byte[] first = (byte[]) copy(copier, bytes(5, 1));
        byte[] second = (byte[]) copy(copier, bytes(3, 7));
        assertThat(first).containsExactly(1, 2, 3, 4, 5);
        assertThat(second).containsExactly(7, 8, 9);
    }

    @Test
    void reusedArrayGrowsWithHeadroomAndIsKeptForSmallerFrames() {
        FrameCopier copier = new FrameCopier(true);
        ByteBuffer first = (ByteBuffer) copy(copier, bytes(100, 0));
        assertThat(first.position()).isZero();
        assertThat(first.remaining()).isEqualTo(100);
        assertThat(first.array()).hasSize(125);
        assertThat(first.get(99)).isEqualTo((byte) 99);

        ByteBuffer smaller = (ByteBuffer) copy(copier, bytes(120, 50));
        assertThat(smaller.array()).as("fits the headroom").isSameAs(first.array());
        assertThat(smaller.remaining()).isEqualTo(120);
        assertThat(smaller.get(0)).isEqualTo((byte) 50);

        ByteBuffer larger = (ByteBuffer) copy(copier, bytes(200, 0));
        assertThat(larger.array()).hasSize(250).isNotSameAs(first.array());
        assertThat(larger.remaining()).isEqualTo(200);
    }

    private static byte[] bytes(int size, int first) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    private static Object copy(FrameCopier copier, byte[] content) {
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
