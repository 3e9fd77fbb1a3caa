package dev.mjpegrtp.camel.rtsp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Stream paths as endpoints declare them and as viewers name them in request URLs. A stream has one track, whose
 * control URL is the stream URL plus {@value #TRACK_CONTROL} (the SDP's {@code a=control}).
 */
final class StreamPath {

    static final String TRACK_CONTROL = "trackID=0";
    private static final Pattern SEGMENTS = Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");

    private StreamPath() {
    }

    /** The path without leading or trailing slashes; rejects anything a URL would need to escape. */
    static String normalize(String path) {
        String trimmed = path == null ? "" : strip(path);
        if (!SEGMENTS.matcher(trimmed).matches() || trimmed.startsWith(".") || trimmed.contains("/.")) {
            throw new IllegalArgumentException("stream path '" + path + "' must be non-empty segments of letters, "
                    + "digits and . _ ~ - separated by /, none starting with a dot");
        }
        return trimmed;
    }

    /**
     * What a request URI names: a stream path (aggregate URL) or its track. The URI is an absolute {@code rtsp://}
     * URL or an absolute path; anything else is null.
     */
    static Target target(String requestUri) {
        String rawPath;
        try {
            URI uri = new URI(requestUri);
            rawPath = uri.getPath();
        } catch (URISyntaxException e) {
            return null;
        }
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        String path = strip(rawPath);
        String trackSuffix = "/" + TRACK_CONTROL;
        if (path.endsWith(trackSuffix)) {
            return new Target(path.substring(0, path.length() - trackSuffix.length()), true);
        }
        return new Target(path, false);
    }

    private static String strip(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** A stream path, and whether the URL named its track rather than the whole stream. */
    record Target(String path, boolean track) {
    }
}
