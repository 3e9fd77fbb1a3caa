package dev.mjpegrtp.camel.server;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The comma-separated {@code name=value} parameters of a Digest Authorization header (RFC 7616 §3.4), where a value
 * is a token or a quoted string with backslash escapes. Names are case-insensitive and come back in lower case.
 */
final class AuthParams {

    private AuthParams() {
    }

    /** The parameters after the scheme; null when the text is not a well-formed parameter list. */
    static Map<String, String> parse(String text) {
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            i = skip(text, i, " \t,");
            if (i >= n) {
                return params;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = skip(text, eq + 1, " \t");
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                if (i >= n) {
                    return null; // unterminated quoted string
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            if (name.isEmpty()) {
                return null;
            }
            params.put(name, value.toString().trim());
        }
    }

    private static int skip(String text, int from, String chars) {
        int i = from;
        while (i < text.length() && chars.indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }
}
