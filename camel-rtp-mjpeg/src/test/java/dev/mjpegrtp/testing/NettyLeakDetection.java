package dev.mjpegrtp.testing;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector for tests that measure real time. The build runs it paranoid (the root pom), for the tests
 * that count leaks; paranoid takes a stack trace at nearly every buffer access, which makes every packet several times
 * as costly: a 720p frame sent to an RTSP viewer costs the event loop about 4 ms instead of 0.8 ms, single sends 30 to
 * 130 ms. A test of frame rates or of frames dropped then measures the detector on a busy machine, not the code.
 */
public final class NettyLeakDetection {

    private NettyLeakDetection() {
    }

    /**
     * Netty's default level, which samples a buffer in 128, as the application runs it; for the rest of this JVM (each
     * test class has one of its own): call it in a {@code @BeforeAll}.
     */
    public static void asInProduction() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }
}
