package dev.mjpegrtp.camel.rtpmjpeg;

/** The {@code host:port} of an endpoint URI, with IPv6 literals in brackets ({@code [::1]:5004}). */
public record HostAndPort(String host, int port) {

    public static HostAndPort parse(String remaining, String syntax) {
        String text = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected " + syntax + ", got: " + remaining);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in " + remaining + " (" + syntax + ")");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535 in " + remaining);
        }
        return new HostAndPort(host, port);
    }
}
