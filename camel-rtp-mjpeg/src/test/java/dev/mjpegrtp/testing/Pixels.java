package dev.mjpegrtp.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares decoded frames byte for byte and, when they differ, says where instead of printing megabytes. */
public final class Pixels {

    private Pixels() {
    }

    public static void assertIdentical(byte[] actual, byte[] expected, String what) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " bytes, expected " + expected.length);
        }
        int first = -1;
        int differing = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != expected[i]) {
                differing++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differing > 0) {
            fail(what + ": " + differing + " of " + actual.length + " bytes differ, the first at offset " + first
                    + " (" + (actual[first] & 0xFF) + " instead of " + (expected[first] & 0xFF) + ")");
        }
    }
}
