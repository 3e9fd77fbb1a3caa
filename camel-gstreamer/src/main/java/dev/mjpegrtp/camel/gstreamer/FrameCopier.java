package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The one copy of a frame out of native memory: map, copy, unmap; the mapped view never leaves {@link #copy}. With
 * reuseBuffer the copy goes into one array, which grows with a quarter of headroom when a frame does not fit, so a
 * stream of similar frames settles on one array. Owned by the pull thread: one mapping at a time.
 */
final class FrameCopier {

    private final boolean reuseBuffer;
    /** The GstMapInfo every frame's buffer is mapped with. */
    private final Memory mapInfo = new Memory(SampleCalls.MAP_INFO_SIZE);
    private byte[] reusedFrame = new byte[0];

    FrameCopier(boolean reuseBuffer) {
        this.reuseBuffer = reuseBuffer;
    }

    /**
     * The bytes of a GstBuffer: a {@code byte[]} of its own, or with reuseBuffer a {@link ByteBuffer} over the shared
     * array, valid until the next copy.
     */
    Object copy(Pointer buffer) {
        if (SampleCalls.Gst.gst_buffer_map(buffer, mapInfo, SampleCalls.MAP_READ) == 0) {
            throw new GstreamerException("could not map a buffer for reading");
        }
        try {
            Pointer data = mapInfo.getPointer(SampleCalls.MAP_INFO_DATA);
            int size = Math.toIntExact(mapInfo.getLong(SampleCalls.MAP_INFO_SIZE_FIELD));
            if (!reuseBuffer) {
                byte[] frame = new byte[size];
                data.read(0, frame, 0, size);
                return frame;
            }
            if (reusedFrame.length < size) {
                reusedFrame = new byte[size + size / 4];
            }
            data.read(0, reusedFrame, 0, size);
            return ByteBuffer.wrap(reusedFrame, 0, size);
        } finally {
            SampleCalls.Gst.gst_buffer_unmap(buffer, mapInfo);
        }
    }
}
