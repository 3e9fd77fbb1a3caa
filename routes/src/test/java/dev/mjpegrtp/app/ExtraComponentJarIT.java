package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A component the app does not ship, added without a rebuild as the README says: camel-http in a lib/ folder, either
 * the jars it needs beyond the app's (copied by the build into target/extra-lib) or what the README's
 * {@code mvn -f extra-components.xml -Dcomponent=camel-http} copies; the app started with
 * {@code java @jvm.options -cp "target/mjpeg-rtp.jar:lib/*" dev.mjpegrtp.app.MjpegRtpApplication}, and a YAML route
 * POSTing GStreamer snapshots to {@code http:} on a server of the test's: each body decodes to the source's picture.
 */
class ExtraComponentJarIT {

    private static final int MAX_BODIES = 10;

    @TempDir
    Path dir;

    @Test
    void componentJarsDroppedInLibAreUsedByARoute() throws Exception {
        try (JarFile jar = new JarFile(AppProcess.packagedJar().toFile())) {
            assertThat(jar.getEntry("META-INF/services/org/apache/camel/component/http"))
                    .as("the http component is not in the app's jar").isNull();
        }
        Path lib = Files.createDirectories(dir.resolve("lib"));
        try (Stream<Path> jars = Files.list(Path.of("target", "extra-lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        assertSnapshotsArePosted(lib);
    }

    /** The README's command fills lib/ with camel-http and every jar it needs, those the app has too. */
    @Test
    void documentedCommandFillsLib() throws Exception {
        Path lib = dir.resolve("lib");
        // The Maven of this build, offline: the build resolved camel-http (provided) and the dependency plugin.
        String mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn").toString();
        Path log = dir.resolve("mvn.log");
        Process maven = new ProcessBuilder(mvn, "-B", "-q", "-o",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-f", Path.of("extra-components.xml").toAbsolutePath().toString(), "-Dcomponent=camel-http",
                "-Dlib=" + lib).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(maven.waitFor(120, TimeUnit.SECONDS)).as("mvn finishes").isTrue();
            assertThat(maven.exitValue()).as("mvn's exit value; its output:%n%s", Files.readString(log)).isZero();
        } finally {
            maven.destroyForcibly();
        }
        try (Stream<Path> jars = Files.list(lib)) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                    .contains("camel-http-4.22.0.jar", "camel-http-common-4.22.0.jar", "camel-support-4.22.0.jar")
                    .anyMatch(name -> name.startsWith("httpclient5-"));
        }
        assertSnapshotsArePosted(lib);
    }

    private void assertSnapshotsArePosted(Path lib) throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/snapshots", exchange -> receive(exchange, bodies));
        server.start();
        Path route = Files.writeString(dir.resolve("snapshots.yaml"), """
                - route:
                    id: snapshots
                    from:
                      uri: gstreamer:snapshots
                      parameters:
                        pipeline: "videotestsrc is-live=true pattern=smpte100 ! video/x-raw,format=I420,width=320,height=240,framerate=5/1 ! jpegenc quality=85"
                      steps:
                        - to:
                            uri: "http://127.0.0.1:%d/snapshots"
                            parameters:
                              httpMethod: POST
                """.formatted(server.getAddress().getPort()));
        Process app = AppProcess.startJarWithLib(dir, "app", lib,
                "-Dcamel.main.routesIncludePattern=file:" + route);
        try {
            await().atMost(60, TimeUnit.SECONDS)
                    .failFast("the app exited", () -> !app.isAlive())
                    .until(() -> bodies.size() >= 3);
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
            app.destroyForcibly();
            server.stop(0);
        }

        byte[] expected = TestImages.gstDecodeI420(TestImages.gstJpeg(dir, "expected", "smpte100", "I420", 320, 240, 85));
        for (int i = 0; i < 3; i++) {
            Path body = Files.write(dir.resolve("body-" + i + ".jpg"), bodies.get(i));
            Pixels.assertIdentical(TestImages.gstDecodeI420(body), expected, "POSTed snapshot " + i);
        }
        assertThat(Files.readString(dir.resolve("app.log"))).contains("Started snapshots (gstreamer://snapshots)");
    }

    private static void receive(HttpExchange exchange, List<byte[]> bodies) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (bodies.size() < MAX_BODIES) {
                bodies.add(body);
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }
}
