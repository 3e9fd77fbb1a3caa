package dev.mjpegrtp.camel.rtsp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/**
 * The SDP (RFC 4566) a DESCRIBE returns: one RTP/JPEG video track whose transport SETUP negotiates, hence port 0 and
 * a null connection address. RFC 2435's main header carries width and height as multiples of 8 up to 2040, so bigger
 * frames are announced with {@code a=x-dimensions}, which FFmpeg, GStreamer and live555 read.
 */
final class RtspSessionDescription {

    private RtspSessionDescription() {
    }

    /**
     * @param serverAddress the address the viewer reached the server on
     * @param sessionId     identifies the stream instance (o= line); changes when the stream restarts
     * @param format        what frames have shown so far; null before the first
     */
    static String of(String path, InetAddress serverAddress, long sessionId, VideoFormat format) {
        boolean ipv6 = serverAddress instanceof Inet6Address;
        String family = ipv6 ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(sessionId).append(" 1 IN ").append(family).append(' ')
                .append(serverAddress.getHostAddress()).append("\r\n")
                .append("s=").append(path).append("\r\n")
                .append("c=IN ").append(family).append(ipv6 ? " ::" : " 0.0.0.0").append("\r\n")
                .append("t=0 0\r\n")
                .append("a=control:*\r\n")
                .append("a=range:npt=now-\r\n")
                .append("m=video 0 RTP/AVP ").append(RtpHeader.PAYLOAD_TYPE_JPEG).append("\r\n")
                .append("a=rtpmap:").append(RtpHeader.PAYLOAD_TYPE_JPEG).append(" JPEG/").append(RtpHeader.CLOCK_RATE)
                .append("\r\n");
        if (format != null && format.framesPerSecond() > 0) {
            DecimalFormat rate = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
            sdp.append("a=framerate:").append(rate.format(format.framesPerSecond())).append("\r\n");
        }
        if (format != null && (format.width() > JpegFrame.MAX_DIMENSION || format.height() > JpegFrame.MAX_DIMENSION)) {
            sdp.append("a=x-dimensions:").append(format.width()).append(',').append(format.height()).append("\r\n");
        }
        sdp.append("a=control:").append(StreamPath.TRACK_CONTROL).append("\r\n");
        return sdp.toString();
    }
}
