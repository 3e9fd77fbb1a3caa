package dev.mjpegrtp.rtp.mjpeg;

/** The bytes are not a well-formed JPEG image: empty, truncated, another format, or corrupt marker segments. */
public class InvalidJpegException extends Rfc2435Exception {

    public InvalidJpegException(String message) {
        super(message);
    }

    public InvalidJpegException(String message, Throwable cause) {
        super(message, cause);
    }
}
