package dev.mjpegrtp.camel.gstreamer;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.util.URISupport;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.glib.GError;

/** Builds pipelines from gst-launch descriptions, failing with the element at fault and the package to install. */
final class GstreamerPipelines {

    private GstreamerPipelines() {
    }

    /**
     * Parses {@code description} strictly: gst_parse_launch also returns half-built pipelines with only a warning
     * (a link that cannot be made, say), which would fail later and less clearly.
     */
    static Pipeline build(String name, String description) {
        List<GError> errors = new ArrayList<>();
        Element element = Gst.parseLaunch(description, errors);
        if (!errors.isEmpty() || !(element instanceof Pipeline)) {
            String message = errors.isEmpty() ? "not a pipeline" : errors.get(0).getMessage();
            if (element != null) {
                element.dispose();
            }
            // Sanitised: the error reaches logs and health details, and a description may hold a camera's password.
            throw new GstreamerException("cannot build pipeline " + name + " from '" + URISupport.sanitizeUri(description)
                    + "': " + message
                    + GstreamerPlugins.installHint(message));
        }
        return (Pipeline) element;
    }
}
