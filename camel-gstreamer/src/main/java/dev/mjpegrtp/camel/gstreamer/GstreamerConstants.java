package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.spi.Metadata;

/** Message headers of the gstreamer component. */
public final class GstreamerConstants {

    @Metadata(description = "Presentation timestamp of the buffer in nanoseconds (pipeline running time); absent "
                            + "when GStreamer gave none.", javaType = "Long")
    public static final String PTS = "CamelGStreamerPts";
    @Metadata(description = "Duration of the buffer in nanoseconds; absent when GStreamer gave none.", javaType = "Long")
    public static final String DURATION = "CamelGStreamerDuration";
    @Metadata(description = "Frame width in pixels, from the sample's caps.", javaType = "Integer")
    public static final String WIDTH = "CamelGStreamerWidth";
    @Metadata(description = "Frame height in pixels, from the sample's caps.", javaType = "Integer")
    public static final String HEIGHT = "CamelGStreamerHeight";
    @Metadata(description = "Number of the frame since the consumer started, from 0, counting only the frames "
                            + "handed to the route.", javaType = "Long")
    public static final String SEQUENCE = "CamelGStreamerSequence";

    @Metadata(description = "Frames the appsink dropped so far because the route was slower than the source "
                            + "(counted from gaps in presentation times).", javaType = "Long")
    public static final String FRAMES_DROPPED = "CamelGStreamerFramesDropped";

    private GstreamerConstants() {
    }
}
