package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * The GStreamer calls every frame makes, bound with JNA direct mapping. gst1-java-core goes through interface
 * proxies, wraps every returned pointer in a Java object and reads structs by reflection: about half a millisecond of
 * CPU and 20 KB of garbage per frame. These take microseconds and allocate nothing. Everything else (building,
 * running and watching the pipeline) stays with gst1-java-core.
 *
 * <p>Libraries are opened by their sonames, which the runtime packages install (the unversioned .so names come only
 * with the -dev packages). GStreamer keeps the layout of its public structs stable across 1.x; the offsets below are
 * those of LP64 builds, checked once per consumer against gst1-java-core's own reading ({@link #checkLayout}).
 */
final class SampleCalls {

    /** GST_MAP_READ. */
    static final int MAP_READ = 1;
    /** sizeof(GstMapInfo): memory, flags, data, size, maxsize, user_data[4], _gst_reserved[4]. */
    static final int MAP_INFO_SIZE = 8 + 8 + 8 + 8 + 8 + 4 * 8 + 4 * 8;
    static final int MAP_INFO_DATA = 16;
    static final int MAP_INFO_SIZE_FIELD = 24;
    /** GstBuffer: a 64-byte GstMiniObject, the pool pointer, then pts, dts and duration (GstClockTime, guint64). */
    private static final int BUFFER_PTS = 72;
    private static final int BUFFER_DTS = 80;
    private static final int BUFFER_DURATION = 88;
    /** GST_CLOCK_TIME_NONE. */
    private static final long CLOCK_TIME_NONE = -1;

    private SampleCalls() {
    }

    static final class Gst {
        static {
            Native.register(Gst.class, NativeLibrary.getInstance("libgstreamer-1.0.so.0"));
        }

        private Gst() {
        }

        static native Pointer gst_sample_get_buffer(Pointer sample);

        static native Pointer gst_sample_get_caps(Pointer sample);

        static native int gst_buffer_map(Pointer buffer, Pointer info, int flags);

        static native void gst_buffer_unmap(Pointer buffer, Pointer info);

        static native Pointer gst_mini_object_ref(Pointer object);

        static native void gst_mini_object_unref(Pointer object);
    }

    static final class GstApp {
        static {
            Native.register(GstApp.class, NativeLibrary.getInstance("libgstapp-1.0.so.0"));
        }

        private GstApp() {
        }

        /** Blocks until a sample arrives; null at end of stream or when the appsink stops. Caller owns the sample. */
        static native Pointer gst_app_sink_pull_sample(Pointer appsink);
    }

    /** The buffer's PTS in nanoseconds, -1 when it has none. */
    static long pts(Pointer buffer) {
        return clockTime(buffer.getLong(BUFFER_PTS));
    }

    static long dts(Pointer buffer) {
        return clockTime(buffer.getLong(BUFFER_DTS));
    }

    static long duration(Pointer buffer) {
        return clockTime(buffer.getLong(BUFFER_DURATION));
    }

    private static long clockTime(long value) {
        return value == CLOCK_TIME_NONE ? -1 : value;
    }

    /**
     * Whether the timestamps read at this class's offsets are the ones gst1-java-core reads from its struct mapping,
     * for a buffer made with distinct values: false would mean a GstBuffer layout these offsets do not fit.
     */
    static boolean checkLayout() {
        Buffer probe = new Buffer(1);
        try {
            probe.setPresentationTimestamp(1_000_001);
            probe.setDecodeTimestamp(2_000_002);
            probe.setDuration(3_000_003);
            Pointer raw = Natives.getRawPointer(probe);
            return pts(raw) == probe.getPresentationTimestamp() && dts(raw) == probe.getDecodeTimestamp()
                    && duration(raw) == probe.getDuration();
        } finally {
            probe.dispose();
        }
    }
}
