package dev.mjpegrtp.rtp.mjpeg;

/**
 * A well-formed JPEG that RFC 2435 cannot carry as it is (4:4:4 chroma, progressive or arithmetic coding, 12-bit
 * samples, non-standard Huffman tables, ...). The message names the feature and, where there is one, the fix.
 */
public class UnsupportedJpegException extends Rfc2435Exception {

    public UnsupportedJpegException(String message) {
        super(message);
    }

    public UnsupportedJpegException(String message, Throwable cause) {
        super(message, cause);
    }
}
