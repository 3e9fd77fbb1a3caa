package dev.mjpegrtp.camel.http;

import java.util.regex.Pattern;

import dev.mjpegrtp.camel.server.ServerConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParams;

/**
 * Options of one http-mjpeg endpoint, that is of one stream path; the component keeps one as the template. They are
 * the server's options; a path has no dots, as the server adds .mjpeg, .jpg and .json to it.
 */
@UriParams
@Configurer
public class HttpMjpegConfiguration extends ServerConfiguration {

    private static final Pattern SEGMENTS = Pattern.compile("[A-Za-z0-9_~-]+(/[A-Za-z0-9_~-]+)*");

    @Override
    public void validate() {
        validateServer("http-mjpeg:host:port/path");
        if (getPath() == null || !SEGMENTS.matcher(getPath()).matches()) {
            throw new IllegalArgumentException("stream path '" + getPath() + "' must be non-empty segments of "
                    + "letters, digits and _ ~ - separated by / (no dots: the server adds .mjpeg, .jpg and .json)");
        }
    }
}
