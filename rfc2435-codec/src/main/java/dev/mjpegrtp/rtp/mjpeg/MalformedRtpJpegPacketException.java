package dev.mjpegrtp.rtp.mjpeg;

/** An RTP packet that does not hold a valid RFC 2435 payload; the receiver counts it and drops it. */
public class MalformedRtpJpegPacketException extends Rfc2435Exception {

    public MalformedRtpJpegPacketException(String message) {
        super(message);
    }
}
