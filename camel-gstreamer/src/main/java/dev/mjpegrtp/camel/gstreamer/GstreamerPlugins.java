package dev.mjpegrtp.camel.gstreamer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says which Debian package provides a GStreamer element, so a missing-element error tells the user what to install. */
final class GstreamerPlugins {

    private static final Pattern NO_ELEMENT = Pattern.compile("no element \"([^\"]+)\"");

    private static final Map<String, String> PACKAGE_BY_ELEMENT = Map.ofEntries(
            Map.entry("videotestsrc", "gstreamer1.0-plugins-base"),
            Map.entry("videoconvert", "gstreamer1.0-plugins-base"),
            Map.entry("videoscale", "gstreamer1.0-plugins-base"),
            Map.entry("videorate", "gstreamer1.0-plugins-base"),
            Map.entry("appsink", "gstreamer1.0-plugins-base"),
            Map.entry("appsrc", "gstreamer1.0-plugins-base"),
            Map.entry("jpegenc", "gstreamer1.0-plugins-good"),
            Map.entry("jpegdec", "gstreamer1.0-plugins-good"),
            Map.entry("v4l2src", "gstreamer1.0-plugins-good"),
            Map.entry("souphttpsrc", "gstreamer1.0-plugins-good"),
            Map.entry("rtspsrc", "gstreamer1.0-plugins-good"),
            Map.entry("rtpjpegpay", "gstreamer1.0-plugins-good"),
            Map.entry("rtpjpegdepay", "gstreamer1.0-plugins-good"),
            Map.entry("multifilesrc", "gstreamer1.0-plugins-good"),
            Map.entry("matroskamux", "gstreamer1.0-plugins-good"),
            Map.entry("avimux", "gstreamer1.0-plugins-good"),
            Map.entry("jpegparse", "gstreamer1.0-plugins-bad"),
            Map.entry("x264enc", "gstreamer1.0-plugins-ugly"),
            Map.entry("avdec_h264", "gstreamer1.0-libav"));

    private GstreamerPlugins() {
    }

    /** A hint naming the package of the element a parse error complains about, or an empty string. */
    static String installHint(String parseError) {
        Matcher matcher = NO_ELEMENT.matcher(parseError);
        if (!matcher.find()) {
            return "";
        }
        String element = matcher.group(1);
        String pkg = PACKAGE_BY_ELEMENT.get(element);
        return pkg != null
                ? "; element " + element + " is in the Debian package " + pkg
                : "; check the element name with gst-inspect-1.0 " + element;
    }
}
