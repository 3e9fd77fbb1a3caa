package dev.mjpegrtp.camel.gstreamer;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * Initialises GStreamer once per JVM. GStreamer cannot be initialised again after gst_deinit, so nothing here ever
 * de-initialises it: stopping a component or a CamelContext leaves the native library ready for the next start.
 */
final class GstreamerRuntime {

    /** The GStreamer API level the component uses (gst1-java-core gates methods on the requested version). */
    private static final Version REQUIRED = Version.of(1, 16);

    private GstreamerRuntime() {
    }

    private static boolean layoutChecked;

    static synchronized void initialize() {
        if (!Gst.isInitialized()) {
            try {
                Gst.init(REQUIRED, "camel-gstreamer");
            } catch (UnsatisfiedLinkError e) {
                throw new GstreamerException("GStreamer native libraries not found (" + e.getMessage() + "); on Debian "
                        + "install libgstreamer1.0-0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good", e);
            }
        }
        if (!layoutChecked) {
            if (!SampleCalls.checkLayout()) {
                throw new GstreamerException("GStreamer " + Gst.getVersionString() + " lays out GstBuffer unlike "
                        + "the 64-bit GStreamer 1.x ABI the consumer reads frame timestamps with");
            }
            layoutChecked = true;
        }
    }
}
