package dev.mjpegrtp.camel.rtsp;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.NettyLeakDetection;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen viewers of one 720p30 path at once, FFmpeg and GStreamer over UDP and TCP: over a window the server sends
 * every one of them every frame the route publishes (JMX shows each viewer's frames sent, none dropped), and every
 * frame sent reaches its viewer. Client-side rates are not asserted: on a busy machine a starved viewer process
 * reads late, which says nothing about the server.
 */
class RtspMjpegManyViewersTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int VIEWERS = 16;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    /**
     * At 16 viewers of 720p30 paranoid detection takes over a hundred thousand stack traces a second, which would
     * measure the detector instead of the server. The default level still samples buffers for leaks; the RTSP tests
     * that measure no rate run the same paths under paranoid detection.
     */
    @BeforeAll
    static void sampleLeaksInsteadOfTracingEveryBuffer() {
        NettyLeakDetection.asInProduction();
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withEnableJMX();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/live");
            }
        };
    }

    @Test
    void sixteenViewersAllGetEveryFrame() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1280, 720, FPS);
        String url = "rtsp://127.0.0.1:" + rtspPort.getPort() + "/live";
        List<ExternalTools.Peer> viewers = new ArrayList<>();
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS)) {
            for (int i = 0; i < VIEWERS; i++) {
                Path log = dir.resolve("viewer-" + i + ".log");
                viewers.add(i < 12 ? RtspViewers.ffmpegCounting(log, url, transport(i))
                        : RtspViewers.gstCounting(log, url, transport(i)));
            }
            long started = System.nanoTime();
            for (ExternalTools.Peer viewer : viewers) {
                RtspViewers.awaitFirstFrame(viewer, Duration.ofSeconds(30));
            }
            System.out.printf("all %d viewers received frames %.1f s after they started%n", VIEWERS,
                    (System.nanoTime() - started) / 1e9);
            ObjectName endpoint = endpointMBean(jmx);
            assertThat(jmx.getAttribute(endpoint, "Viewers")).isEqualTo(VIEWERS);

            // The server's side of full rate: once all watch, every viewer is sent every frame the route publishes.
            // (While sixteen clients start at once on two cores, a starved event loop may drop a frame; that is
            // the start-up, not the steady state asked for.)
            Thread.sleep(1000);
            long publishedBefore = feed.framesSent();
            Map<String, long[]> before = framesBySession(jmx, endpoint);
            long start = System.nanoTime();
            Thread.sleep(3000); // the measuring window
            Map<String, long[]> after = framesBySession(jmx, endpoint);
            double seconds = (System.nanoTime() - start) / 1e9;
            long published = feed.framesSent() - publishedBefore;
            System.out.printf("route: %.2f fps%n", published / seconds);
            assertThat(after).hasSize(VIEWERS);
            after.forEach((session, counts) -> {
                long sent = counts[0] - before.get(session)[0];
                long dropped = counts[1] - before.get(session)[1];
                System.out.printf("viewer %s: sent %.2f fps, %d dropped%n", session, sent / seconds, dropped);
                assertThat(sent).as("frames sent to %s while the route published %d", session, published)
                        .isBetween(published - 2, published + 2);
                assertThat(dropped).as("frames dropped for %s", session).isZero();
            });
            assertThat((Long) jmx.getAttribute(endpoint, "FramesSent")).isPositive();
            assertThat((Long) jmx.getAttribute(endpoint, "BytesSent")).isPositive();
        }
        // The viewers' side: once the route stops, each has received every frame it was sent.
        try {
            // Frames still queued for a viewer when the route stopped go out after it: count once the counts settle.
            long total = framesSentToAll(jmx);
            for (long previous = -1; total != previous; ) {
                previous = total;
                Thread.sleep(500);
                total = framesSentToAll(jmx);
            }
            long sentToAll = total;
            await().atMost(Duration.ofSeconds(20))
                    .failFast(() -> viewers.stream().anyMatch(viewer -> !viewer.isAlive()))
                    .conditionEvaluationListener(condition -> {
                        if (condition.getRemainingTimeInMS() <= 0) {
                            System.out.println("frames received by viewer: " + viewers.stream()
                                    .map(RtspViewers::framesReceived).toList() + " of " + sentToAll + " sent to all");
                        }
                    })
                    .until(() -> viewers.stream().mapToLong(RtspViewers::framesReceived).sum() >= sentToAll);
            for (int i = 0; i < VIEWERS; i++) {
                assertThat(viewers.get(i).output()).as("viewer %d's warnings", i).doesNotContain("missed");
            }
            long received = viewers.stream().mapToLong(RtspViewers::framesReceived).sum();
            System.out.printf("viewers received %d of the %d frames sent to them%n", received, total);
            assertThat(received).isEqualTo(total);
        } finally {
            ExternalTools.closeAll(viewers);
        }
    }

    private static long framesSentToAll(MBeanServer jmx) throws Exception {
        return framesBySession(jmx, endpointMBean(jmx)).values().stream().mapToLong(counts -> counts[0]).sum();
    }

    private static String transport(int viewer) {
        return viewer % 2 == 0 ? "tcp" : "udp";
    }

    private static ObjectName endpointMBean(MBeanServer jmx) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        return names.stream().filter(name -> name.toString().contains("rtsp-mjpeg")).findFirst()
                .orElseThrow(() -> new AssertionError("no rtsp-mjpeg endpoint MBean among " + names));
    }

    /** Frames sent and dropped so far for each viewer, by session, from the endpoint's viewerStatistics. */
    private static Map<String, long[]> framesBySession(MBeanServer jmx, ObjectName endpoint) throws Exception {
        TabularData table = (TabularData) jmx.invoke(endpoint, "viewerStatistics", null, null);
        Map<String, long[]> frames = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData viewer = (CompositeData) row;
            frames.put((String) viewer.get("session"),
                    new long[] {(Long) viewer.get("framesSent"), (Long) viewer.get("framesDropped")});
        }
        return frames;
    }
}
