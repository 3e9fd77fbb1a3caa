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
    @Metadata(description = "Number of the frame since the consumer started, from 0; gaps show frames the appsink "
                            + "dropped are not counted here (see framesDropped).", javaType = "Long")
    public static final String SEQUENCE = "CamelGStreamerSequence";

    private GstreamerConstants() {
    }
}
