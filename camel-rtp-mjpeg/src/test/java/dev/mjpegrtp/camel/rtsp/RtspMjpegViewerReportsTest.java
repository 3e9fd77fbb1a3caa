package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.openmbean.CompositeData;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspViewers;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RTCP counts only when it names the viewer's SSRC, learned from its first report about our stream: FFmpeg's (over
 * UDP; over TCP it sends none) and GStreamer's (over UDP and interleaved) own receiver reports are recognised as theirs
 * and reach the statistics.
 */
class RtspMjpegViewerReportsTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam");
            }
        };
    }

    @BeforeEach
    void startFeed() {
        feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
    }

    @Test
    void ffmpegAndGstreamerReportsAreRecognisedAsTheirs() throws Exception {
        String url = "rtsp://127.0.0.1:" + rtspPort.getPort() + "/cam";
        List<ExternalTools.Peer> viewers = List.of(
                RtspViewers.ffmpegCounting(dir.resolve("ffmpeg-udp.log"), url, "udp"),
                RtspViewers.gstCounting(dir.resolve("gst-udp.log"), url, "udp"),
                RtspViewers.gstCounting(dir.resolve("gst-tcp.log"), url, "tcp"));
        try {
            for (ExternalTools.Peer viewer : viewers) {
                RtspViewers.awaitFirstFrame(viewer, Duration.ofSeconds(20));
            }
            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam",
                    RtspMjpegEndpoint.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fractionLostByTransport(endpoint))
                    .hasSize(3).allSatisfy((transport, lost) -> assertThat(lost).as(transport).isNotNegative()));
        } finally {
            ExternalTools.closeAll(viewers);
        }
    }

    /** Each viewer's fraction lost from its last report, -1 before its first, by its transport. */
    private static Map<String, Integer> fractionLostByTransport(RtspMjpegEndpoint endpoint) throws Exception {
        return endpoint.viewerStatistics().values().stream().map(CompositeData.class::cast)
                .collect(Collectors.toMap(row -> row.get("session") + " " + row.get("transport"),
                        row -> (Integer) row.get("fractionLost")));
    }
}
