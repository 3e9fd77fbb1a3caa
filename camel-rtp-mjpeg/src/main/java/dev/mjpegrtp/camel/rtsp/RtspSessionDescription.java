package dev.mjpegrtp.camel.rtsp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.rtp.mjpeg.SessionDescription;

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
        SessionDescription sdp = SessionDescription
                .session(serverAddress, sessionId, path, serverAddress instanceof Inet6Address ? "::" : "0.0.0.0")
                .attribute("control:*")
                .attribute("range:npt=now-")
                .jpegVideo(0, RtpHeader.PAYLOAD_TYPE_JPEG);
        if (format != null && format.framesPerSecond() > 0) {
            DecimalFormat rate = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
            sdp.attribute("framerate:" + rate.format(format.framesPerSecond()));
        }
        if (format != null) {
            sdp.frameSize(format.width(), format.height());
        }
        return sdp.attribute("control:" + StreamPath.TRACK_CONTROL).toString();
    }
}
