package dev.mjpegrtp.rtp.mjpeg;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The SDP (RFC 4566) a player needs to receive an RTP/JPEG stream sent to {@code address:port}: what
 * {@code ffplay -protocol_whitelist file,udp,rtp stream.sdp}, VLC and GStreamer's sdpdemux open.
 */
public final class SessionDescription {

    private SessionDescription() {
    }

    /**
     * @param sessionId   an identifier that changes when the stream restarts (the SSRC serves)
     * @param payloadType 26, or a dynamic type 96..127 announced with {@code a=rtpmap}
     * @param ttl         multicast time to live written on the connection line of a multicast address
     */
    public static String forStream(InetAddress address, int port, int payloadType, long sessionId, int ttl) {
        return forStream(address, port, payloadType, sessionId, ttl, 0, 0);
    }

    /**
     * As {@link #forStream(InetAddress, int, int, long, int)}, announcing the frame size with {@code a=x-dimensions}
     * when it exceeds the 2040 pixels the RFC 2435 header can hold (the header then says 0). GStreamer's rtpjpegdepay
     * reads the attribute, through sdpdemux or rtspsrc, or from the caps field {@code x-dimensions}.
     *
     * @param width  frame width in pixels, or 0 when not known
     * @param height frame height in pixels, or 0 when not known
     */
    public static String forStream(InetAddress address, int port, int payloadType, long sessionId, int ttl, int width,
                                   int height) {
        String family = address instanceof Inet6Address ? "IP6" : "IP4";
        String host = address.getHostAddress();
        String connection = address.isMulticastAddress() && family.equals("IP4") ? host + "/" + ttl : host;
        return "v=0\r\n"
                + "o=- " + sessionId + " 1 IN " + family + " " + host + "\r\n"
                + "s=mjpeg-rtp\r\n"
                + "c=IN " + family + " " + connection + "\r\n"
                + "t=0 0\r\n"
                + "m=video " + port + " RTP/AVP " + payloadType + "\r\n"
                + "a=rtpmap:" + payloadType + " JPEG/" + RtpHeader.CLOCK_RATE + "\r\n"
                + (width > JpegFrame.MAX_DIMENSION || height > JpegFrame.MAX_DIMENSION
                        ? xDimensions(width, height) + "\r\n" : "")
                + "a=recvonly\r\n";
    }

    /** The SDP attribute carrying a frame size the RFC 2435 header cannot: {@code a=x-dimensions:W,H}. */
    public static String xDimensions(int width, int height) {
        return "a=x-dimensions:" + width + "," + height;
    }
}
