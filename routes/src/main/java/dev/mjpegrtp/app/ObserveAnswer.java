package dev.mjpegrtp.app;

import java.nio.charset.StandardCharsets;

/**
 * A whole answer of the management server: status, content type and body. Immutable once made (the body is never
 * written to), so one answer may be written to several connections at once.
 */
record ObserveAnswer(int status, String contentType, byte[] body) {

    private static final String TEXT = "text/plain; charset=utf-8";

    /** A short text answer naming its status, for refusals and paths that do not exist. */
    static ObserveAnswer text(int status, String reason) {
        return new ObserveAnswer(status, TEXT, (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static ObserveAnswer notFound() {
        return text(404, "Not Found");
    }
}
