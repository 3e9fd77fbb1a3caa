package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The one copy of a frame out of native memory: map, copy into an array of the {@link FramePool}, unmap; the mapped
 * view never leaves {@link #copy}. Owned by the pull thread: one mapping at a time.
 */
final class FrameCopier {

    private final FramePool pool;
    /** The GstMapInfo every frame's buffer is mapped with. */
    private final Memory mapInfo = new Memory(SampleCalls.MAP_INFO_SIZE);

    FrameCopier(FramePool pool) {
        this.pool = pool;
    }

    /** The bytes of a GstBuffer, in a lease from the pool: its body is a ByteBuffer over them, from position 0. */
    FrameLease copy(Pointer buffer) {
        if (SampleCalls.Gst.gst_buffer_map(buffer, mapInfo, SampleCalls.MAP_READ) == 0) {
            throw new GstreamerException("could not map a buffer for reading");
        }
        try {
            Pointer data = mapInfo.getPointer(SampleCalls.MAP_INFO_DATA);
            int size = Math.toIntExact(mapInfo.getLong(SampleCalls.MAP_INFO_SIZE_FIELD));
            FrameLease lease = pool.lease(size);
            data.read(0, lease.array(), 0, size);
            lease.holdFrame(size);
            return lease;
        } finally {
            SampleCalls.Gst.gst_buffer_unmap(buffer, mapInfo);
        }
    }
}
