package dev.mjpegrtp.rtp.mjpeg;

/**
 * Base of every error the codec reports. Its subclasses say whether the input was broken or merely cannot be carried
 * by RFC 2435, and the message always names the cause, so a route can log one clear line and go on with the next frame.
 */
public class Rfc2435Exception extends RuntimeException {

    public Rfc2435Exception(String message) {
        super(message);
    }

    public Rfc2435Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
