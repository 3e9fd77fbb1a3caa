package dev.mjpegrtp.camel.gstreamer;

import com.sun.jna.Pointer;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Headers from caps gst1-java-core made, and the cache that reads them once per caps and holds a reference meanwhile. */
class CapsHeadersTest {

    /** GstMiniObject: a GType, then the gint reference count. */
    private static final int REFCOUNT_OFFSET = 8;

    @BeforeAll
    static void initializeGstreamer() {
        GstreamerRuntime.initialize();
    }

    @Test
    void jpegCapsGiveSizeAndRateButNoFormat() {
        CapsHeaders headers = headersOf("image/jpeg,width=320,height=240,framerate=30/1,sof-marker=0");
        assertThat(headers.width()).isEqualTo(320);
        assertThat(headers.height()).isEqualTo(240);
        assertThat(headers.framerate()).isEqualTo("30/1");
        assertThat(headers.format()).as("a JPEG body says its own format").isNull();
        assertThat(headers.caps()).startsWith("image/jpeg").contains("width=(int)320");
    }

    @Test
    void rawVideoCapsGiveTheirPixelFormat() {
        CapsHeaders headers = headersOf("video/x-raw,format=I420,width=160,height=120,framerate=25/1");
        assertThat(headers.format()).isEqualTo("I420");
        assertThat(headers.framerate()).isEqualTo("25/1");
    }

    @Test
    void onlyThePresentHeadersAreSet() {
        Message message = new DefaultMessage(new DefaultCamelContext());
        headersOf("image/jpeg").setOn(message);
        assertThat(message.getHeaders()).containsOnlyKeys(GstreamerConstants.CAPS);
        assertThat(message.getHeader(GstreamerConstants.CAPS)).isEqualTo("image/jpeg");
    }

    @Test
    void emptyCapsGiveNoHeaders() {
        assertThat(headersOf("EMPTY")).isEqualTo(CapsHeaders.NONE);
    }

    @Test
    void theCacheReadsEachCapsOnceAndHoldsThemUntilItMovesOn() {
        Pointer first = sampleCaps("image/jpeg,width=320,height=240");
        Pointer second = sampleCaps("image/jpeg,width=640,height=480");
        CapsHeaders.Cache cache = new CapsHeaders.Cache();
        try {
            CapsHeaders read = cache.headersOf(first);
            assertThat(read.width()).isEqualTo(320);
            assertThat(first.getInt(REFCOUNT_OFFSET)).as("held by the cache").isEqualTo(2);
            assertThat(cache.headersOf(first)).as("not read again").isSameAs(read);
            assertThat(first.getInt(REFCOUNT_OFFSET)).isEqualTo(2);

            assertThat(cache.headersOf(second).width()).isEqualTo(640);
            assertThat(first.getInt(REFCOUNT_OFFSET)).as("let go for the new caps").isEqualTo(1);
            assertThat(second.getInt(REFCOUNT_OFFSET)).isEqualTo(2);

            cache.forget();
            assertThat(second.getInt(REFCOUNT_OFFSET)).isEqualTo(1);
            assertThat(cache.headersOf(null)).isEqualTo(CapsHeaders.NONE);
        } finally {
            cache.forget();
            SampleCalls.Gst.gst_mini_object_unref(first);
            SampleCalls.Gst.gst_mini_object_unref(second);
        }
    }

    private static CapsHeaders headersOf(String description) {
        Pointer caps = sampleCaps(description);
        try {
            return CapsHeaders.of(caps);
        } finally {
            SampleCalls.Gst.gst_mini_object_unref(caps);
        }
    }

    /** Caps as a sample holds them: one reference, the caller's, and no gst1-java-core wrapper. */
    private static Pointer sampleCaps(String description) {
        Caps caps = Caps.fromString(description);
        try {
            return SampleCalls.Gst.gst_mini_object_ref(Natives.getRawPointer(caps));
        } finally {
            caps.dispose();
        }
    }
}
