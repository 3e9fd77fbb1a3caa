package dev.mjpegrtp.camel.gstreamer;

/** A pipeline that cannot be built or keeps failing; the message names the element and the cause. */
public class GstreamerException extends RuntimeException {

    public GstreamerException(String message) {
        super(message);
    }

    public GstreamerException(String message, Throwable cause) {
        super(message, cause);
    }
}
