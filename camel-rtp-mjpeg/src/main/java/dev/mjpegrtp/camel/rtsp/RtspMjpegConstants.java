package dev.mjpegrtp.camel.rtsp;

import org.apache.camel.spi.Metadata;

/** Message headers the rtsp-mjpeg producer reads. */
public final class RtspMjpegConstants {

    @Metadata(label = "producer", description = "Presentation time of the frame in nanoseconds, as a gstreamer: "
                                                + "consumer sets it; the producer derives the RTP timestamps of every "
                                                + "viewer from it. Header name set by the ptsHeader option.",
              javaType = "Long")
    public static final String PTS = "CamelFramePts";

    private RtspMjpegConstants() {
    }
}
