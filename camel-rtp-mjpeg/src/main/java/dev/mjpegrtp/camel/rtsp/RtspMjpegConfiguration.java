package dev.mjpegrtp.camel.rtsp;

import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegConstants;
import dev.mjpegrtp.camel.server.ServerConfiguration;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of one rtsp-mjpeg endpoint, that is of one stream path; the component keeps one as the template. Beside
 * the server's options, how frames become RTP packets, as rtp-mjpeg's producer has them.
 */
@UriParams
@Configurer
public class RtspMjpegConfiguration extends ServerConfiguration {

    @UriParam(defaultValue = "" + Rfc2435Frame.DEFAULT_MTU, description = "Largest RTP packet to send, RTP header "
              + "included (GStreamer's and FFmpeg's mtu). Applies to raw JPEG bodies; a body from "
              + "JpegToRfc2435Processor keeps the processor's packet size.")
    private int mtu = Rfc2435Frame.DEFAULT_MTU;
    @UriParam(label = "producer", defaultValue = RtpMjpegConstants.PTS, description = "Header holding the frame's "
              + "presentation time in nanoseconds; RTP timestamps follow it so that receivers pace frames as they "
              + "were captured. Without the header, the time the frame reaches the producer is used.")
    private String ptsHeader = RtpMjpegConstants.PTS;
    @UriParam(label = "producer", defaultValue = "false", description = "Put each frame's SOF segment in the RTP "
              + "header extension of its first packet, as the ONVIF Streaming Specification's JPEG header extension: "
              + "receivers that read it (the rtp-mjpeg consumer, ONVIF clients and NVRs) learn sizes over 2040 "
              + "pixels from the stream itself, without the SDP. Receivers that do not know it skip it.")
    private boolean onvifHeaderExtension;
    @UriParam(label = "advanced", defaultValue = "8", description = "Whole frames each viewer may have waiting to be "
              + "sent. A viewer this far behind loses the newest frames (counted) instead of holding memory or "
              + "slowing the route and the other viewers.")
    private int maxQueuedFrames = 8;
    @UriParam(label = "advanced", defaultValue = "0", description = "The server's UDP port for RTP to UDP viewers, "
              + "even; RTCP uses the port above it (RFC 3550 section 11). SETUP replies name the pair as server_port, "
              + "so a firewall can open exactly these two ports. 0: a free pair chosen when the server starts. Paths "
              + "on the same host:port share the server's ports, so their endpoints must name the same rtpPort.")
    private int rtpPort;

    @Override
    public void validate() {
        validateServer("rtsp-mjpeg:host:port/path");
        StreamPath.normalize(getPath());
        Rfc2435Frame.requireValidMtu(mtu, onvifHeaderExtension);
        if (maxQueuedFrames < 1) {
            throw new IllegalArgumentException("maxQueuedFrames must be positive");
        }
        if (rtpPort != 0 && (rtpPort < 2 || rtpPort > 65534 || rtpPort % 2 != 0)) {
            throw new IllegalArgumentException("rtpPort " + rtpPort + " must be 0 or even in 2..65534: RTCP uses "
                    + "the port above it");
        }
    }

    public int getMtu() {
        return mtu;
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    public String getPtsHeader() {
        return ptsHeader;
    }

    public void setPtsHeader(String ptsHeader) {
        this.ptsHeader = ptsHeader;
    }

    public boolean isOnvifHeaderExtension() {
        return onvifHeaderExtension;
    }

    public void setOnvifHeaderExtension(boolean onvifHeaderExtension) {
        this.onvifHeaderExtension = onvifHeaderExtension;
    }

    public int getMaxQueuedFrames() {
        return maxQueuedFrames;
    }

    public void setMaxQueuedFrames(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    public int getRtpPort() {
        return rtpPort;
    }

    public void setRtpPort(int rtpPort) {
        this.rtpPort = rtpPort;
    }
}
