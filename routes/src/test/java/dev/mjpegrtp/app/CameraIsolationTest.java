package dev.mjpegrtp.app;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twelve cameras of the route template in one app process, one of them with a pipeline that names an element that
 * does not exist, beside a YAML route whose RTP host does not resolve and a Java DSL route with a mistyped pipeline:
 * the app starts, the eleven good cameras stream at full rate to their receivers, and the health checks served over
 * HTTP are DOWN naming each bad route and its error, while the process stays live.
 */
class CameraIsolationTest {

    private static final int CAMERAS = 12;
    private static final String BAD_CAMERA = "cam-07";
    private static final long WINDOW_MILLIS = 3000;
    private static final double FULL_RATE_FPS = 27.0;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void badRoutesRetryAndAreNamedInHealthWhileTheOthersStreamAtFullRate() throws Exception {
        Map<String, Integer> ports = new HashMap<>();
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= CAMERAS; i++) {
            String id = String.format("cam-%02d", i);
            int port = LocalPorts.freeRtpPort();
            ports.put(id, port);
            String pipeline = id.equals(BAD_CAMERA) ? "nosuchelement0 ! jpegenc"
                    : "videotestsrc is-live=true ! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc";
            yaml.append(templatedRoute(id, pipeline, port));
        }
        yaml.append("""
                - route:
                    id: unresolvable-host
                    from:
                      uri: gstreamer:unresolvable-host
                      parameters:
                        pipeline: "videotestsrc is-live=true ! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc"
                      steps:
                        - to: rtp-mjpeg:no-such-host.invalid:%d
                """.formatted(LocalPorts.freeRtpPort()));
        Path routes = Files.writeString(dir.resolve("cameras.yaml"), yaml);
        int healthPort = LocalPorts.freeTcpPort();

        List<RtpFrameCounter> counters = new ArrayList<>();
        Process app = AppProcess.start(dir, "app",
                "-Dcamel.main.routesIncludePattern=file:" + routes,
                "-Dcamel.main.routesBuilderClasses=" + MistypedPipelineRoute.class.getName(),
                "-Disolation.javaPort=" + LocalPorts.freeRtpPort(),
                "-D" + HealthSetup.PORT + "=" + healthPort);
        try {
            for (Map.Entry<String, Integer> camera : ports.entrySet()) {
                if (!camera.getKey().equals(BAD_CAMERA)) {
                    counters.add(new RtpFrameCounter(camera.getValue()));
                }
            }
            counters.forEach(Thread::start);
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                    .until(() -> counters.stream().allMatch(counter -> counter.frames() >= 30));
            counters.forEach(RtpFrameCounter::startWindow);
            Thread.sleep(WINDOW_MILLIS); // the measurement window
            counters.forEach(RtpFrameCounter::endWindow);
            assertThat(app.isAlive()).as("the app runs").isTrue();

            HttpResponse<String> ready = get(healthPort, "/observe/health/ready");
            assertThat(ready.statusCode()).as("ready, with cameras that cannot start").isEqualTo(503);
            JsonObject health = (JsonObject) Jsoner.deserialize(ready.body());
            assertThat(health.getString("status")).isEqualTo("DOWN");
            JsonObject controller = check(health, "route-controller");
            assertThat(controller.getString("status")).isEqualTo("DOWN");
            JsonObject reasons = controller.getMap("details");
            assertThat(reasons.getString("route." + BAD_CAMERA + ".error"))
                    .contains("cannot build pipeline " + BAD_CAMERA).contains("nosuchelement0");
            assertThat(reasons.getString("route." + MistypedPipelineRoute.ROUTE_ID + ".error"))
                    .contains("cannot build pipeline " + MistypedPipelineRoute.ROUTE_ID).contains("nosuchelement1");
            assertThat(reasons.getString("route.unresolvable-host.error")).contains("no-such-host.invalid");
            // A route whose consumer failed to start is in the context, DOWN; one whose producer failed is not yet.
            for (String bad : List.of(BAD_CAMERA, MistypedPipelineRoute.ROUTE_ID)) {
                assertThat(check(health, "route:" + bad).getString("status")).as(bad).isEqualTo("DOWN");
            }
            for (String good : ports.keySet()) {
                if (!good.equals(BAD_CAMERA)) {
                    assertThat(check(health, "consumer:" + good).getString("status")).as(good).isEqualTo("UP");
                }
            }

            HttpResponse<String> live = get(healthPort, "/observe/health/live");
            assertThat(live.statusCode()).as("live: %s", live.body()).isEqualTo(200);
            assertThat(get(healthPort, "/observe/health").statusCode()).isEqualTo(503);
            assertThat(get(healthPort, "/observe/nothing").statusCode()).isEqualTo(404);
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/observe/health"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                    .build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
            assertThat(get(healthPort, "/observe/health/live").statusCode()).as("still answering").isEqualTo(200);
        } finally {
            app.destroy();
            boolean stopped = app.waitFor(20, TimeUnit.SECONDS);
            app.destroyForcibly();
            for (RtpFrameCounter counter : counters) {
                counter.close();
            }
            assertThat(stopped).as("the app stops on SIGTERM").isTrue();
        }
        for (RtpFrameCounter counter : counters) {
            double fps = counter.framesInWindow() * 1000.0 / WINDOW_MILLIS;
            assertThat(fps).as("frames per second on %s", counter.getName()).isGreaterThanOrEqualTo(FULL_RATE_FPS);
        }
        String log = Files.readString(dir.resolve("app.log"));
        assertThat(log).as("the pipeline named by its route id").contains("Started pipeline cam-01:")
                .contains("Failed restarting route: " + BAD_CAMERA);
    }

    /** A route that could not start (its port taken) starts at a later attempt once the port is free. */
    @Test
    void aRouteThatCouldNotStartStartsOnceItsCauseIsGone() throws Exception {
        int port = LocalPorts.freeRtpPort();
        Path routes = Files.writeString(dir.resolve("receiver.yaml"), """
                - route:
                    id: receiver
                    from:
                      uri: rtp-mjpeg:127.0.0.1:%d
                      steps:
                        - to: log:frames
                """.formatted(port));
        DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        try (RunningApp app = new RunningApp(Map.of("camel.main.routesIncludePattern", "file:" + routes))) {
            HealthCheck controller = HealthCheckHelper.getHealthCheck(app.context(), "route-controller");
            assertThat(app.context().getRouteController().getRouteStatus("receiver")).isNotEqualTo(ServiceStatus.Started);
            assertThat(controller.call().getState()).isEqualTo(HealthCheck.State.DOWN);

            squatter.close();
            await().atMost(20, TimeUnit.SECONDS).until(
                    () -> app.context().getRouteController().getRouteStatus("receiver") == ServiceStatus.Started);
            assertThat(controller.call().getState()).isEqualTo(HealthCheck.State.UP);
        } finally {
            squatter.close();
        }
    }

    /**
     * An option the endpoint does not have is a mistake in the route file, found when Camel creates the routes, before
     * it starts any: the app does not start, and says which route and which option.
     */
    @Test
    void anUnknownEndpointOptionStopsTheStartNamingTheRouteAndTheOption() throws Exception {
        Path routes = Files.writeString(dir.resolve("mistyped-option.yaml"), templatedRoute("cam-01",
                "videotestsrc is-live=true ! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc",
                LocalPorts.freeRtpPort()) + """
                - route:
                    id: mistyped-option
                    from:
                      uri: gstreamer:mistyped-option
                      parameters:
                        pipeline: "videotestsrc ! jpegenc"
                        maxBufers: 2
                      steps:
                        - to: log:never
                """);
        Process app = AppProcess.start(dir, "mistyped", "-Dcamel.main.routesIncludePattern=file:" + routes);
        try {
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app stops").isTrue();
            assertThat(app.exitValue()).isNotZero();
        } finally {
            app.destroyForcibly();
        }
        assertThat(Files.readString(dir.resolve("mistyped.log")))
                .contains("Failed to create route: mistyped-option").contains("maxBufers");
    }

    private static String templatedRoute(String id, String pipeline, int port) {
        return """
                - templatedRoute:
                    routeTemplateRef: mjpeg-rtp-stream
                    routeId: %s
                    parameters:
                      - name: pipeline
                        value: "%s"
                      - name: host
                        value: 127.0.0.1
                      - name: port
                        value: "%d"
                """.formatted(id, pipeline, port);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject check(JsonObject health, String name) {
        JsonArray checks = (JsonArray) health.get("checks");
        return checks.stream().map(JsonObject.class::cast).filter(check -> name.equals(check.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + health.toJson()));
    }
}
