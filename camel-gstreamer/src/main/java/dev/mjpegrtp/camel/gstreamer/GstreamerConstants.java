package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the gstreamer component. The consumer sets them on each frame; the producer reads the timestamp
 * headers, so that frames recorded by a {@code gstreamer:} producer keep the timing they were captured with.
 */
public final class GstreamerConstants {

    @Metadata(description = "Presentation timestamp of the buffer in nanoseconds (pipeline running time); absent "
                            + "when GStreamer gave none. The producer stamps the buffer with it. Not named after "
                            + "GStreamer: the rtp-mjpeg and rtsp-mjpeg producers read the same header by default.",
              javaType = "Long")
    public static final String PTS = "CamelFramePts";
    @Metadata(description = "Decoding timestamp of the buffer in nanoseconds (pipeline running time); absent when "
                            + "GStreamer gave none, as for raw frames from most sources (encoders such as jpegenc set it "
                            + "to the PTS). The producer stamps the buffer with it.", javaType = "Long")
    public static final String DTS = "CamelGStreamerDts";
    @Metadata(description = "Duration of the buffer in nanoseconds; absent when GStreamer gave none. The producer "
                            + "stamps the buffer with it.", javaType = "Long")
    public static final String DURATION = "CamelGStreamerDuration";
    @Metadata(label = "consumer", description = "Frame width in pixels, from the sample's caps.", javaType = "Integer")
    public static final String WIDTH = "CamelGStreamerWidth";
    @Metadata(label = "consumer", description = "Frame height in pixels, from the sample's caps.", javaType = "Integer")
    public static final String HEIGHT = "CamelGStreamerHeight";
    @Metadata(label = "consumer", description = "Frame rate from the sample's caps as GStreamer writes it, a fraction "
                                                + "such as 30/1 (0/1 for a variable rate).", javaType = "String")
    public static final String FRAMERATE = "CamelGStreamerFramerate";
    @Metadata(label = "consumer", description = "Raw video format from the sample's caps, e.g. I420, NV12 or RGB; set only "
                                                + "for raw video (caps=video/x-raw), where it says how to read the body.",
              javaType = "String")
    public static final String FORMAT = "CamelGStreamerFormat";
    @Metadata(label = "consumer", description = "The sample's caps in GStreamer's text form, e.g. image/jpeg, width=(int)320, "
                                                + "height=(int)240, framerate=(fraction)30/1.", javaType = "String")
    public static final String CAPS = "CamelGStreamerCaps";
    @Metadata(label = "consumer", description = "Number of the frame since the consumer started, from 0, counting only the "
                                                + "frames handed to the route.", javaType = "Long")
    public static final String SEQUENCE = "CamelGStreamerSequence";
    @Metadata(label = "consumer", description = "Frames the appsink dropped so far because the route was slower than the "
                                                + "source (counted from gaps in presentation times).", javaType = "Long")
    public static final String FRAMES_DROPPED = "CamelGStreamerFramesDropped";

    private GstreamerConstants() {
    }
}
