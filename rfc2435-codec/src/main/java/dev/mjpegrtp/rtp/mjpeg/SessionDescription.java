package dev.mjpegrtp.rtp.mjpeg;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An SDP (RFC 4566) describing one RTP/JPEG video stream, written line by line: the session lines first
 * ({@link #session}), then attributes and the media lines in the order they are added. Both senders write theirs with
 * it: the file {@code rtp-mjpeg:} leaves for players ({@link #forStream}) and the answer to an RTSP DESCRIBE.
 */
public final class SessionDescription {

    private final StringBuilder text = new StringBuilder();

    private SessionDescription() {
    }

    /**
     * The session lines v=, o=, s=, c= and t=.
     *
     * @param address    the origin's address, whose family (IP4 or IP6) the o= and c= lines name
     * @param sessionId  an identifier that changes when the stream restarts
     * @param connection the connection address of the c= line, with its {@code /ttl} for IPv4 multicast
     */
    public static SessionDescription session(InetAddress address, long sessionId, String name, String connection) {
        String family = address instanceof Inet6Address ? "IP6" : "IP4";
        SessionDescription sdp = new SessionDescription();
        sdp.text.append("v=0\r\n")
                .append("o=- ").append(sessionId).append(" 1 IN ").append(family).append(' ')
                .append(address.getHostAddress()).append("\r\n")
                .append("s=").append(name).append("\r\n")
                .append("c=IN ").append(family).append(' ').append(connection).append("\r\n")
                .append("t=0 0\r\n");
        return sdp;
    }

    /** An {@code a=} line. */
    public SessionDescription attribute(String attribute) {
        text.append("a=").append(attribute).append("\r\n");
        return this;
    }

    /**
     * The m= line of a JPEG video stream and its {@code a=rtpmap}.
     *
     * @param port        the port the stream goes to, 0 where a later negotiation (RTSP SETUP) decides it
     * @param payloadType 26, or a dynamic type 96..127
     */
    public SessionDescription jpegVideo(int port, int payloadType) {
        return jpegVideo(port, payloadType, "RTP/AVP");
    }

    /**
     * As {@link #jpegVideo(int, int)}, for an SRTP stream (profile RTP/SAVP, RFC 3711 §12) whose key the RFC 4568
     * {@code crypto} attribute (e.g. {@code crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY}) gives.
     */
    public SessionDescription securedJpegVideo(int port, int payloadType, String crypto) {
        return jpegVideo(port, payloadType, "RTP/SAVP").attribute(crypto);
    }

    private SessionDescription jpegVideo(int port, int payloadType, String profile) {
        text.append("m=video ").append(port).append(' ').append(profile).append(' ').append(payloadType)
                .append("\r\n");
        return attribute("rtpmap:" + payloadType + " JPEG/" + RtpHeader.CLOCK_RATE);
    }

    /**
     * Announces the frame size with {@code a=x-dimensions} when it exceeds the 2040 pixels the RFC 2435 header can hold
     * (the header then says 0); nothing otherwise. FFmpeg, live555 and GStreamer's rtpjpegdepay read the attribute.
     *
     * @param width  frame width in pixels, or 0 when not known
     * @param height frame height in pixels, or 0 when not known
     */
    public SessionDescription frameSize(int width, int height) {
        if (width > JpegFrame.MAX_DIMENSION || height > JpegFrame.MAX_DIMENSION) {
            attribute("x-dimensions:" + width + "," + height);
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /**
     * The SDP a player needs to receive an RTP/JPEG stream sent to {@code address:port}: what
     * {@code ffplay -protocol_whitelist file,udp,rtp stream.sdp}, VLC and GStreamer's sdpdemux open.
     *
     * @param sessionId   an identifier that changes when the stream restarts (the SSRC serves)
     * @param payloadType 26, or a dynamic type 96..127 announced with {@code a=rtpmap}
     * @param ttl         multicast time to live written on the connection line of a multicast address
     */
    public static String forStream(InetAddress address, int port, int payloadType, long sessionId, int ttl) {
        return forStream(address, port, payloadType, sessionId, ttl, 0, 0);
    }

    /**
     * As {@link #forStream(InetAddress, int, int, long, int)}, announcing a frame size the RFC 2435 header cannot hold
     * (see {@link #frameSize}).
     *
     * @param width  frame width in pixels, or 0 when not known
     * @param height frame height in pixels, or 0 when not known
     */
    public static String forStream(InetAddress address, int port, int payloadType, long sessionId, int ttl, int width,
                                   int height) {
        return forStream(address, port, payloadType, sessionId, ttl, width, height, null);
    }

    /**
     * As {@link #forStream(InetAddress, int, int, long, int, int, int)}, for an SRTP stream when {@code crypto} is
     * given (see {@link #securedJpegVideo}): {@code ffplay -protocol_whitelist file,udp,rtp,srtp stream.sdp} opens it.
     *
     * @param crypto the RFC 4568 {@code crypto} attribute carrying the key; null for plain RTP
     */
    public static String forStream(InetAddress address, int port, int payloadType, long sessionId, int ttl, int width,
                                   int height, String crypto) {
        String host = address.getHostAddress();
        String connection = address.isMulticastAddress() && !(address instanceof Inet6Address) ? host + "/" + ttl : host;
        SessionDescription sdp = session(address, sessionId, "mjpeg-rtp", connection);
        return (crypto == null ? sdp.jpegVideo(port, payloadType) : sdp.securedJpegVideo(port, payloadType, crypto))
                .frameSize(width, height)
                .attribute("recvonly")
                .toString();
    }
}
