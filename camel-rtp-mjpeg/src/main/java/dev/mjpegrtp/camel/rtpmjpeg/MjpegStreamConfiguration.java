package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * The options of an rtp-mjpeg endpoint that say where its stream goes or comes from, how frames become packets and
 * when they were captured, with their checks.
 */
@UriParams
public abstract class MjpegStreamConfiguration implements Cloneable {

    @UriPath(description = "A producer's destination address (unicast or multicast); the local address a consumer "
                           + "binds: 0.0.0.0 for all interfaces, 127.0.0.1 for this machine only.")
    @Metadata(required = true)
    private String host;
    @UriPath(description = "The UDP port a producer sends to or a consumer listens on.")
    @Metadata(required = true)
    private int port;
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

    /**
     * Rejects a host, port or packet size no endpoint can work with, naming the option.
     *
     * @param syntax the endpoint's URI syntax, which the message shows where the host is missing
     */
    protected void validateStream(String syntax) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required: " + syntax);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        Rfc2435Frame.requireValidMtu(mtu, onvifHeaderExtension);
    }

    /** A field-by-field copy, for the endpoint configurations a component makes from its template. */
    protected MjpegStreamConfiguration copyOf() {
        try {
            return (MjpegStreamConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
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
}
