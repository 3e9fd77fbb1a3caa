package dev.mjpegrtp.jpeg;

/**
 * A JPEG this package cannot read or re-encode: either its bytes are not a well-formed JPEG ({@link #unsupported()}
 * false), or it is well-formed and uses what the transcoder cannot carry without loss (true). The message names the
 * cause.
 */
public class JpegException extends RuntimeException {

    private final boolean unsupported;

    private JpegException(String message, boolean unsupported) {
        super(message);
        this.unsupported = unsupported;
    }

    /** The bytes are not a well-formed JPEG: empty, truncated, another format, or corrupt marker segments or data. */
    static JpegException invalid(String message) {
        return new JpegException(message, false);
    }

    /** A well-formed JPEG using what cannot be carried without loss (4:4:4, CMYK, arithmetic coding, ...). */
    static JpegException unsupported(String message) {
        return new JpegException(message, true);
    }

    /** True for a well-formed JPEG that cannot be carried, false for bytes that are no well-formed JPEG. */
    public boolean unsupported() {
        return unsupported;
    }
}
