package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Pointer;
import org.apache.camel.Message;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Fraction;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.glib.Natives;

/** The headers a sample's caps give: the caps as text, and the width, height, frame rate and raw format in them. */
record CapsHeaders(String caps, Integer width, Integer height, String framerate, String format) {

    static final CapsHeaders NONE = new CapsHeaders(null, null, null, null, null);

    /**
     * Read through gst1-java-core, which is fine for something that happens once per caps change. The caps must have
     * no gst1-java-core wrapper of their own (a sample's caps, reached through {@link SampleCalls}, have none):
     * objectFor would return that wrapper, without a reference of its own, and dispose would take its owner's.
     */
    static CapsHeaders of(Pointer pointer) {
        Caps caps = Natives.objectFor(pointer, Caps.class, true, true);
        try {
            return of(caps);
        } finally {
            caps.dispose();
        }
    }

    static CapsHeaders of(Caps caps) {
        if (caps.size() == 0) {
            return NONE;
        }
        Structure structure = caps.getStructure(0);
        Integer width = structure.hasField("width") ? structure.getInteger("width") : null;
        Integer height = structure.hasField("height") ? structure.getInteger("height") : null;
        String framerate = null;
        if (structure.hasField("framerate")) {
            Fraction rate = structure.getFraction("framerate");
            framerate = rate.getNumerator() + "/" + rate.getDenominator();
        }
        // Only raw video has a pixel format that says how to read the body; image/jpeg has none.
        String format = structure.getName().startsWith("video/x-raw") && structure.hasField("format")
                ? structure.getString("format") : null;
        return new CapsHeaders(caps.toString(), width, height, framerate, format);
    }

    void setOn(Message message) {
        setIfPresent(message, GstreamerConstants.CAPS, caps);
        setIfPresent(message, GstreamerConstants.WIDTH, width);
        setIfPresent(message, GstreamerConstants.HEIGHT, height);
        setIfPresent(message, GstreamerConstants.FRAMERATE, framerate);
        setIfPresent(message, GstreamerConstants.FORMAT, format);
    }

    private static void setIfPresent(Message message, String header, Object value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }

    /**
     * The headers of the caps frames come with, read again only when the caps change. It keeps a reference to the
     * caps it read, so the same pointer is always the same caps (shared caps never change) and is never freed and
     * reused for others meanwhile. Owned by the pull thread; {@link #forget} when it is done.
     */
    static final class Cache {

        private Pointer lastCaps;
        private CapsHeaders lastHeaders = NONE;

        CapsHeaders headersOf(Pointer caps) {
            if (caps == null) {
                return NONE;
            }
            if (!caps.equals(lastCaps)) {
                forget();
                lastHeaders = of(caps);
                lastCaps = SampleCalls.Gst.gst_mini_object_ref(caps);
            }
            return lastHeaders;
        }

        void forget() {
            if (lastCaps != null) {
                SampleCalls.Gst.gst_mini_object_unref(lastCaps);
                lastCaps = null;
                lastHeaders = NONE;
            }
        }
    }
}
