package dev.mjpegrtp.examples.springboot;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text page ({@code /actuator/prometheus}): one per line
 * {@code name{label="value",...} value}, label values with their escapes; comments skipped. A line that is neither
 * fails the parse, naming it.
 */
final class PrometheusSamples {

    private final Map<String, Double> samples = new HashMap<>();

    PrometheusSamples(String page) {
        for (String line : page.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                parse(line);
            }
        }
    }

    /** The value of the series {@code name} with exactly these labels, given as name, value, ...; fails when none. */
    double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Double value = samples.get(name + wanted);
        if (value == null) {
            throw new AssertionError("no sample " + name + wanted + " among " + samples.keySet());
        }
        return value;
    }

    private void parse(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        boolean labelled = brace > 0 && (space < 0 || brace < space);
        if (!labelled && space <= 0) {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        String name = line.substring(0, labelled ? brace : space);
        Map<String, String> labels = new TreeMap<>();
        int end = space;
        if (labelled) {
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                if (line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("label without a quoted value: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = equals + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    value.append(c == '\\' ? unescape(line.charAt(++j)) : c);
                }
                labels.put(line.substring(i, equals), value.toString());
                i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
            }
            end = i + 1;
        }
        String[] rest = line.substring(end).trim().split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        if (samples.put(name + labels, Double.parseDouble(rest[0].replace("Inf", "Infinity"))) != null) {
            throw new IllegalArgumentException("series twice: " + line);
        }
    }

    private static char unescape(char escaped) {
        return escaped == 'n' ? '\n' : escaped;
    }
}
