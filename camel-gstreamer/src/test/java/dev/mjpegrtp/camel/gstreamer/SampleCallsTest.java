package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct calls read what gst1-java-core reads, on buffers and caps gst1-java-core made. */
class SampleCallsTest {

    @BeforeAll
    static void initializeGstreamer() {
        GstreamerRuntime.initialize();
    }

    @Test
    void timestampsAreReadFromTheBuffer() {
        Buffer buffer = new Buffer(16);
        try {
            buffer.setPresentationTimestamp(33_366_666);
            buffer.setDecodeTimestamp(33_000_000);
            buffer.setDuration(33_333_333);
            Pointer raw = Natives.getRawPointer(buffer);
            assertThat(SampleCalls.pts(raw)).isEqualTo(33_366_666);
            assertThat(SampleCalls.dts(raw)).isEqualTo(33_000_000);
            assertThat(SampleCalls.duration(raw)).isEqualTo(33_333_333);
        } finally {
            buffer.dispose();
        }
    }

    @Test
    void noTimestampReadsAsMinusOne() {
        Buffer buffer = new Buffer(16); // GST_CLOCK_TIME_NONE everywhere
        try {
            Pointer raw = Natives.getRawPointer(buffer);
            assertThat(SampleCalls.pts(raw)).isEqualTo(-1);
            assertThat(SampleCalls.dts(raw)).isEqualTo(-1);
            assertThat(SampleCalls.duration(raw)).isEqualTo(-1);
        } finally {
            buffer.dispose();
        }
    }

    @Test
    void aMappedBufferGivesItsBytes() {
        Buffer buffer = new Buffer(5);
        Memory info = new Memory(SampleCalls.MAP_INFO_SIZE);
        try {
            buffer.map(true).put(new byte[] {1, 2, 3, 4, 5});
            buffer.unmap();
            Pointer raw = Natives.getRawPointer(buffer);
            assertThat(SampleCalls.Gst.gst_buffer_map(raw, info, SampleCalls.MAP_READ)).isNotZero();
            try {
                assertThat(info.getLong(SampleCalls.MAP_INFO_SIZE_FIELD)).isEqualTo(5);
                assertThat(info.getPointer(SampleCalls.MAP_INFO_DATA).getByteArray(0, 5)).containsExactly(1, 2, 3, 4, 5);
            } finally {
                SampleCalls.Gst.gst_buffer_unmap(raw, info);
            }
        } finally {
            buffer.dispose();
        }
    }

    @Test
    void theLayoutCheckPassesHere() {
        assertThat(SampleCalls.checkLayout()).isTrue();
    }
}
