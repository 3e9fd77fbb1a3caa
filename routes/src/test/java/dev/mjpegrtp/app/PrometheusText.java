package dev.mjpegrtp.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text (0.0.4) or OpenMetrics page: one per line {@code name{label="value",...} value},
 * label values with their escapes ({@code \\}, {@code \"}, {@code \n}); comments ({@code # HELP}, {@code # TYPE},
 * {@code # EOF}) skipped. A line that is neither fails the parse, naming it.
 */
final class PrometheusText {

    /** One series: a metric name and its labels, in name order. */
    record Series(String name, Map<String, String> labels) {
    }

    private final Map<Series, Double> samples = new LinkedHashMap<>();

    PrometheusText(String page) {
        for (String line : page.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                parse(line);
            }
        }
    }

    Map<Series, Double> samples() {
        return samples;
    }

    /** The value of the series {@code name} with exactly these labels; fails when there is none. */
    double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Double value = samples.get(new Series(name, wanted));
        if (value == null) {
            throw new AssertionError("no sample " + name + wanted + " among " + samples.keySet());
        }
        return value;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private void parse(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals);
                if (line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("label " + label + " without a quoted value: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = equals + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        if (name.isEmpty() || rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        Series series = new Series(name, labels);
        if (samples.put(series, number(rest[0])) != null) {
            throw new IllegalArgumentException("series twice: " + line);
        }
    }
}
