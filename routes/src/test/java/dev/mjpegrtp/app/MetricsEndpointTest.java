package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.MjpegHttpViewer;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The app with Camel's management options, as the README gives them ({@code camel.management.enabled},
 * {@code port}, {@code metricsEnabled}, {@code healthCheckEnabled}), in a process of its own streaming the demo to a
 * UDP receiver, two RTSP viewers (gst-launch-1.0, over TCP and over UDP) and an HTTP MJPEG viewer, and receiving
 * gst-launch-1.0's RTP/JPEG on an rtp-mjpeg: consumer: {@code /observe/metrics}, scraped twice two seconds apart and
 * parsed, holds every meter with its tags, and the counters move as the frames do; {@code /observe/health} names
 * each pipeline and server, all UP.
 */
class MetricsEndpointTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void metricsMoveWithTheFramesAndHealthNamesEachPipelineAndServer() throws Exception {
        int rtpPort = LocalPorts.freeRtpPort();
        int rtspPort = LocalPorts.freeTcpPort();
        int httpPort = LocalPorts.freeTcpPort();
        int managementPort = LocalPorts.freeTcpPort();
        String rtp = "rtp://127.0.0.1:" + rtpPort;
        String rtsp = "rtsp://127.0.0.1:" + rtspPort + "/demo";
        String http = "http://127.0.0.1:" + httpPort + "/demo";
        int receivedPort = LocalPorts.freeRtpPort();
        Path received = Files.writeString(dir.resolve("received.yaml"), """
                - route:
                    id: received
                    from:
                      uri: rtp-mjpeg:127.0.0.1:%d
                      steps:
                        - to:
                            uri: stub:received
                """.formatted(receivedPort));
        try (RtpFrameCounter receiver = new RtpFrameCounter(rtpPort);
                ExternalTools.Peer sender = ExternalTools.start(dir.resolve("rtp-sender.log"), "gst-launch-1.0", "-q",
                        "videotestsrc", "is-live=true", "!",
                        "video/x-raw,format=I420,width=320,height=240,framerate=30/1", "!", "jpegenc", "!", "rtpjpegpay", "!", "udpsink", "host=127.0.0.1", "port=" + receivedPort)) {
            receiver.start();
            Process app = AppProcess.start(dir, "app", rtspPort, "-Ddemo.port=" + rtpPort,
                    "-Ddemo.httpPort=" + httpPort, "-Ddemo.width=320", "-Ddemo.height=240", "-Ddemo.sdpFile=" + dir.resolve("app.sdp"),
                    "-Dcamel.main.routesIncludePattern=" + MjpegRtpApplication.DEMO_ROUTES + ",file:" + received,
                    "-Dcamel.management.enabled=true", "-Dcamel.management.port=" + managementPort,
                    "-Dcamel.management.metricsEnabled=true", "-Dcamel.management.healthCheckEnabled=true");
            try {
                await().atMost(60, TimeUnit.SECONDS).ignoreExceptions()
                        .until(() -> get(managementPort, "/observe/health/ready", null).statusCode() == 200);
            } catch (RuntimeException e) {
                app.destroyForcibly();
                throw e;
            }
            try (ExternalTools.Peer rtspTcp = RtspViewers.gstCounting(dir.resolve("rtsp-tcp.log"), rtsp, "tcp");
                    ExternalTools.Peer rtspUdp = RtspViewers.gstCounting(dir.resolve("rtsp-udp.log"), rtsp, "udp");
                    HttpViewing httpViewer = new HttpViewing(httpPort)) {
                httpViewer.start();
                RtspViewers.awaitFirstFrame(rtspTcp, Duration.ofSeconds(30));
                RtspViewers.awaitFirstFrame(rtspUdp, Duration.ofSeconds(30));
                await().atMost(30, TimeUnit.SECONDS).until(() -> httpViewer.frames.get() > 0);
                Thread.sleep(2000); // a whole second of frames with both viewers, for the rates

                HttpResponse<String> first = get(managementPort, "/observe/metrics", null);
                long firstAt = System.nanoTime();
                Thread.sleep(2000);
                int receivedBefore = receiver.frames();
                HttpResponse<String> second = get(managementPort, "/observe/metrics",
                        "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
                double seconds = (System.nanoTime() - firstAt) / 1e9;
                int receivedAfter = receiver.frames();

                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.PROMETHEUS_TEXT);
                assertThat(second.statusCode()).isEqualTo(200);
                assertThat(second.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.OPENMETRICS_TEXT);
                assertThat(second.body()).endsWith("# EOF\n");
                PrometheusText before = new PrometheusText(first.body());
                PrometheusText after = new PrometheusText(second.body());

                // What is sent, by stream and transport: frames, packets and bytes move while the viewers watch.
                for (String[] stream : List.of(new String[] { rtp, "rtp" }, new String[] { rtsp, "rtsp" },
                        new String[] { http, "http" })) {
                    String[] tags = { "stream", stream[0], "transport", stream[1] };
                    assertThat(after.value("mjpegrtp_frames_sent_total", tags)).as("frames sent " + stream[1])
                            .isGreaterThan(before.value("mjpegrtp_frames_sent_total", tags));
                    assertThat(after.value("mjpegrtp_bytes_sent_total", tags)).as("bytes sent " + stream[1])
                            .isGreaterThan(before.value("mjpegrtp_bytes_sent_total", tags));
                    assertThat(after.value("mjpegrtp_frames_dropped_total", tags)).as("dropped " + stream[1] + ", a counter")
                            .isGreaterThanOrEqualTo(before.value("mjpegrtp_frames_dropped_total", tags));
                    assertThat(after.value("mjpegrtp_stream_fps", tags)).as("fps " + stream[1])
                            .isCloseTo(30, within(5.0));
                }
                String[] rtpTags = { "stream", rtp, "transport", "rtp" };
                double framesSent = after.value("mjpegrtp_frames_sent_total", rtpTags);
                double packetsSent = after.value("mjpegrtp_packets_sent_total", rtpTags);
                assertThat(packetsSent).isGreaterThan(before.value("mjpegrtp_packets_sent_total", rtpTags))
                        .isGreaterThanOrEqualTo(framesSent);
                assertThat((framesSent - before.value("mjpegrtp_frames_sent_total", rtpTags)) / seconds)
                        .as("RTP frames sent per second between the scrapes").isCloseTo(30, within(5.0));
                assertThat(after.value("mjpegrtp_frames_rejected_total", rtpTags)).isZero();
                assertThat(after.value("mjpegrtp_frames_rejected_total", "stream", http, "transport", "http")).isZero();
                // Counted at the scrape: between what the receiver had before it and after it, give or take the
                // frames on their way through the loopback.
                assertThat(framesSent).as("frames sent, against the receiver's count around the scrape")
                        .isBetween(receivedBefore - 5.0, receivedAfter + 5.0);

                assertThat(after.value("mjpegrtp_viewers", "stream", rtsp, "transport", "rtsp-tcp")).isEqualTo(1);
                assertThat(after.value("mjpegrtp_viewers", "stream", rtsp, "transport", "rtsp-udp")).isEqualTo(1);
                assertThat(after.value("mjpegrtp_viewers", "stream", http, "transport", "http")).isEqualTo(1);

                // What the gstreamer consumer delivers and how long it takes, by route.
                String[] demo = { "component", "gstreamer", "route", "demo" };
                assertThat(after.value("mjpegrtp_consumer_frames_total", demo))
                        .isGreaterThan(before.value("mjpegrtp_consumer_frames_total", demo));
                assertThat(after.value("mjpegrtp_consumer_fps", demo)).isCloseTo(30, within(5.0));
                assertThat(after.value("mjpegrtp_consumer_frames_failed_total", demo)).isZero();
                assertThat(after.value("mjpegrtp_appsink_frames_dropped_total", demo)).as("appsink drops, a counter")
                        .isGreaterThanOrEqualTo(before.value("mjpegrtp_appsink_frames_dropped_total", demo));
                assertThat(after.value("mjpegrtp_pipeline_restarts_total", demo)).isZero();
                Map<String, Double> medians = new TreeMap<>();
                for (String meter : List.of("mjpegrtp_route_time_seconds", "mjpegrtp_capture_latency_seconds")) {
                    double p50 = after.value(meter, "component", "gstreamer", "quantile", "0.5", "route", "demo");
                    double p99 = after.value(meter, "component", "gstreamer", "quantile", "0.99", "route", "demo");
                    assertThat(p50).as(meter + " p50").isPositive().isLessThanOrEqualTo(p99);
                    assertThat(p99).as(meter + " p99").isLessThan(5);
                    medians.put(meter, p50);
                }
                assertThat(medians.get("mjpegrtp_capture_latency_seconds"))
                        .as("capture latency holds the route time")
                        .isGreaterThan(medians.get("mjpegrtp_route_time_seconds"));

                // What the rtp-mjpeg consumer receives from gst-launch-1.0's rtpjpegpay.
                String[] rtpReceived = { "component", "rtp-mjpeg", "route", "received" };
                assertThat(after.value("mjpegrtp_consumer_frames_total", rtpReceived))
                        .isGreaterThan(before.value("mjpegrtp_consumer_frames_total", rtpReceived));
                assertThat(after.value("mjpegrtp_consumer_fps", rtpReceived)).isCloseTo(30, within(5.0));
                assertThat(after.value("mjpegrtp_consumer_frames_failed_total", rtpReceived)).isZero();
                assertThat(after.value("mjpegrtp_consumer_frames_lost_total", rtpReceived)).as("frames lost, a counter")
                        .isGreaterThanOrEqualTo(before.value("mjpegrtp_consumer_frames_lost_total", rtpReceived));
                assertThat(after.value("mjpegrtp_consumer_packets_rejected_total", rtpReceived)).isZero();

                // The JVM's own meters beside them.
                assertThat(after.value("jvm_threads_live_threads")).isPositive();
                assertThat(after.samples().keySet()).anyMatch(series -> series.name().equals("jvm_memory_used_bytes")
                        && "heap".equals(series.labels().get("area")));
                assertThat(after.value("process_cpu_usage")).as("the process's share of all cores").isBetween(0.0, 1.0);

                HttpResponse<String> health = get(managementPort, "/observe/health", null);
                assertThat(health.statusCode()).isEqualTo(200);
                JsonObject answer = (JsonObject) Jsoner.deserialize(health.body());
                Map<String, String> checks = new TreeMap<>();
                for (Object check : (JsonArray) answer.get("checks")) {
                    checks.put(((JsonObject) check).getString("name"), ((JsonObject) check).getString("status"));
                }
                assertThat(checks).containsEntry("consumer:demo", "UP").containsEntry("route:demo", "UP")
                        .containsEntry("producer:rtp-mjpeg:127.0.0.1:" + rtpPort, "UP")
                        .containsEntry("rtsp-mjpeg:" + rtsp, "UP").containsEntry("http-mjpeg:" + http, "UP")
                        .containsEntry("route-controller", "UP").containsEntry("context", "UP")
                        .containsEntry("consumer:received", "UP");
                assertThat(get(managementPort, "/observe/metrics/nothing", null).statusCode()).isEqualTo(404);
            } finally {
                app.destroy();
                app.waitFor(20, TimeUnit.SECONDS);
                app.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A browser-like viewer of /demo.mjpeg reading every frame on a thread of its own, as a browser does. */
    private static final class HttpViewing extends Thread implements AutoCloseable {

        private final int port;
        private final AtomicInteger frames = new AtomicInteger();
        private volatile MjpegHttpViewer viewer;

        HttpViewing(int port) {
            super("mjpeg-viewer");
            this.port = port;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (MjpegHttpViewer connection = new MjpegHttpViewer("127.0.0.1", port, "/demo.mjpeg")) {
                viewer = connection;
                while (!isInterrupted()) {
                    connection.nextFrame();
                    frames.incrementAndGet();
                }
            } catch (IOException e) {
                // closed by the test, or the app stopped
            }
        }

        @Override
        public void close() throws Exception {
            interrupt();
            MjpegHttpViewer connection = viewer;
            if (connection != null) {
                connection.close();
            }
            join(5000);
        }
    }
}
