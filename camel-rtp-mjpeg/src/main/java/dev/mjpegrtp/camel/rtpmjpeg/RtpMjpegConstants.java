package dev.mjpegrtp.camel.rtpmjpeg;

import org.apache.camel.spi.Metadata;

/** Message headers of the rtp-mjpeg component. */
public final class RtpMjpegConstants {

    @Metadata(label = "consumer", description = "The RTP timestamp (90 kHz clock, unsigned 32 bits) of the frame.",
              javaType = "Long")
    public static final String RTP_TIMESTAMP = "CamelRtpMjpegRtpTimestamp";
    @Metadata(label = "consumer", description = "The SSRC of the stream the frame came from (unsigned 32 bits).",
              javaType = "Long")
    public static final String SSRC = "CamelRtpMjpegSsrc";
    @Metadata(label = "consumer", description = "Frame width in pixels, as carried by RFC 2435 (a multiple of 8).",
              javaType = "Integer")
    public static final String WIDTH = "CamelRtpMjpegWidth";
    @Metadata(label = "consumer", description = "Frame height in pixels, as carried by RFC 2435 (a multiple of 8).",
              javaType = "Integer")
    public static final String HEIGHT = "CamelRtpMjpegHeight";
    @Metadata(label = "consumer", description = "The sender's address.", javaType = "java.net.InetSocketAddress")
    public static final String REMOTE_ADDRESS = "CamelRtpMjpegRemoteAddress";
    @Metadata(label = "consumer", description = "Frames dropped so far because a fragment was lost or the frame "
                                                + "exceeded maxFrameSize.", javaType = "Long")
    public static final String FRAMES_LOST = "CamelRtpMjpegFramesLost";
    @Metadata(label = "consumer", description = "Restart intervals of this frame lost in transit and replaced by "
                                                + "mid-gray ones (restart-aligned streams only, RFC 2435 3.1.7); 0 when "
                                                + "the frame arrived whole.", javaType = "Integer")
    public static final String INTERVALS_CONCEALED = "CamelRtpMjpegIntervalsConcealed";
    @Metadata(label = "consumer", description = "RTP sequence number of the frame's first packet (0..65535); with "
                                                + "the last one it tells how many packets carried the frame, wrapping "
                                                + "at 65536. -1 when that packet was lost and the frame's intervals "
                                                + "replaced.", javaType = "Integer")
    public static final String FIRST_SEQUENCE_NUMBER = "CamelRtpMjpegFirstSequenceNumber";
    @Metadata(label = "consumer", description = "RTP sequence number of the frame's last packet, the one with the "
                                                + "marker bit (0..65535).", javaType = "Integer")
    public static final String LAST_SEQUENCE_NUMBER = "CamelRtpMjpegLastSequenceNumber";
    @Metadata(label = "producer", description = "Presentation time of the frame in nanoseconds, as a gstreamer: "
                                                + "consumer sets it; the producer derives the RTP timestamp from it. "
                                                + "Header name set by the ptsHeader option.", javaType = "Long")
    public static final String PTS = "CamelFramePts";

    private RtpMjpegConstants() {
    }
}
