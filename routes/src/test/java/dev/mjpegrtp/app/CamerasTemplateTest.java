package dev.mjpegrtp.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.camel.gstreamer.GstreamerConsumer;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/examples/cameras.yaml, four templated streams, plus a camera that does not exist: the four stream at full
 * rate, each its own RTP stream with its own SDP, and the missing one keeps retrying without stopping the others.
 */
class CamerasTemplateTest {

    private static final int CAMERAS = 4;
    private static final long WINDOW_MILLIS = 3000;

    @TempDir
    Path dir;

    @Test
    void fourIndependentStreamsAtFullRate() throws Exception {
        int[] ports = new int[CAMERAS];
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < CAMERAS; i++) {
            ports[i] = LocalPorts.freeRtpPort();
            properties.put("cameras.port" + (i + 1), String.valueOf(ports[i]));
        }
        properties.put("cameras.port5", String.valueOf(LocalPorts.freeRtpPort()));
        properties.put("cameras.sdpDir", dir.toString());
        properties.put("camel.main.routesIncludePattern",
                "file:" + Path.of("examples/cameras.yaml").toAbsolutePath() + ",classpath:bad-camera.yaml");

        List<RtpFrameCounter> counters = new ArrayList<>();
        try (RunningApp app = new RunningApp(properties)) {
            for (int port : ports) {
                counters.add(new RtpFrameCounter(port));
            }
            counters.forEach(Thread::start);
            // warm-up: every camera has streamed a second's worth, so the window measures the running app, not its
            // pipelines' start and first compilations, however long those take on a busy machine
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                    .until(() -> counters.stream().allMatch(counter -> counter.frames() >= 30));
            counters.forEach(RtpFrameCounter::startWindow);
            Thread.sleep(WINDOW_MILLIS); // the measurement window
            counters.forEach(RtpFrameCounter::endWindow);

            assertThat(app.context().getRouteController().getRouteStatus("missing-camera")).isEqualTo(ServiceStatus.Started);
            GstreamerConsumer missing = (GstreamerConsumer) app.context().getRoute("missing-camera").getConsumer();
            assertThat(missing.getLastError()).contains("no-such-camera");
        } finally {
            for (RtpFrameCounter counter : counters) {
                counter.close();
            }
        }
        System.out.println("frames per second of the cameras: " + counters.stream()
                .map(counter -> String.format(Locale.ROOT, "%.1f", counter.framesInWindow() * 1000.0 / WINDOW_MILLIS))
                .toList());
        Set<Integer> ssrcs = new HashSet<>();
        for (int i = 0; i < CAMERAS; i++) {
            RtpFrameCounter counter = counters.get(i);
            double fps = counter.framesInWindow() * 1000.0 / WINDOW_MILLIS;
            assertThat(fps).as("frames per second of camera-%d", i + 1).isGreaterThanOrEqualTo(28.0);
            ssrcs.add(counter.ssrc());
            assertThat(dir.resolve("camera-" + (i + 1) + ".sdp")).exists();
        }
        assertThat(ssrcs).as("one RTP stream per camera").hasSize(CAMERAS);
    }
}
