package dev.mjpegrtp.camel.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.MjpegHttpViewer;
import dev.mjpegrtp.testing.TestImages;
import io.netty.util.ResourceLeakDetector;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thirty-two browser-like viewers read a 1080p30 stream for 5 s, each at the full frame rate, while the latest frame is
 * fetched as PATH.jpg over and over: each snapshot answers in under 50 ms at p99. A measurement, not in the suite:
 * the viewers run in the test's own JVM, so the figures hold only on a machine that is otherwise idle. Run it with
 * {@code mvn -B -o -pl camel-rtp-mjpeg -am test -Dtest=HttpMjpegManyViewersManualTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HttpMjpegManyViewersManualTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int VIEWERS = 32;
    private static final long SECONDS = 5;

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @BeforeAll
    static void measureWithoutLeakDetection() {
        // The build runs Netty's leak detector paranoid, which records a stack trace at every access to every buffer:
        // right for finding leaks, no measure of the server's cost.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // all viewers come from 127.0.0.1: 32 of them and the snapshot client are above the default 16
                getContext().getComponent("http-mjpeg", HttpMjpegComponent.class).setMaxConnectionsPerAddress(64);
                from("direct:live").to("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/live");
            }
        };
    }

    @Test
    void everyViewerKeepsTheFrameRateAndSnapshotsStayQuick() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1920, 1080, FPS);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS)) {
            List<CompletableFuture<Double>> rates = new ArrayList<>();
            for (int i = 0; i < VIEWERS; i++) {
                rates.add(CompletableFuture.supplyAsync(this::watch, runnable -> new Thread(runnable).start()));
            }
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest snapshot = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort.getPort()
                    + "/live.jpg")).build();
            Thread.sleep(1000);
            List<Long> latencies = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS - 2);
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = client.send(snapshot, HttpResponse.BodyHandlers.ofByteArray());
                latencies.add(System.nanoTime() - start);
                assertThat(response.statusCode()).isEqualTo(200);
                Thread.sleep(20);
            }
            double[] fps = new double[VIEWERS];
            for (int i = 0; i < VIEWERS; i++) {
                fps[i] = rates.get(i).get(SECONDS + 20, TimeUnit.SECONDS);
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double p99Millis = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
            System.out.printf("%d viewers of 1080p30: %.1f to %.1f fps; %d snapshots, p50 %.1f ms, p99 %.1f ms%n",
                    VIEWERS, Arrays.stream(fps).min().orElseThrow(), Arrays.stream(fps).max().orElseThrow(),
                    sorted.length, sorted[sorted.length / 2] / 1e6, p99Millis);
            assertThat(Arrays.stream(fps).min().orElseThrow()).as("frame rate of the slowest viewer")
                    .isGreaterThan(FPS - 1.5);
            assertThat(p99Millis).as("p99 of PATH.jpg while the viewers watch, ms").isLessThan(50);
        }
    }

    /** Reads the stream for the test's seconds and returns its frame rate. */
    private double watch() {
        try (MjpegHttpViewer viewer = new MjpegHttpViewer("127.0.0.1", httpPort.getPort(), "/live.mjpeg")) {
            viewer.nextFrame(); // the latest frame, sent at once
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            int received = 0;
            while (System.nanoTime() < end) {
                viewer.nextFrame();
                received++;
            }
            return received / ((System.nanoTime() - start) / 1e9);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
