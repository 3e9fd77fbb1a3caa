package dev.mjpegrtp.camel.rtsp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slots one client address may hold, tried from other loopback addresses than the viewer's 127.0.0.1: connections
 * beyond maxConnectionsPerAddress are refused while a new viewer still gets in, connections holding no session are
 * closed after connectionIdleTimeout, sessions beyond maxSessionsPerAddress get 503, and sessions set up but never
 * played free their slots after setupTimeout, or at once when their connection closes. The server's maxConnections
 * (6) and the path's maxViewers (3) are small, so that without the per-address limits the attacker would fill them.
 */
class RtspMjpegPerAddressLimitsTest extends CamelTestSupport {

    private static final int MAX_CONNECTIONS_PER_ADDRESS = 4;
    private static final int MAX_SESSIONS_PER_ADDRESS = 2;
    private static final long IDLE_TIMEOUT_MILLIS = 1500;
    private static final long SETUP_TIMEOUT_MILLIS = 1500;
    private static final String UDP_TRANSPORT = "Transport: RTP/AVP;unicast;client_port=";
    private static final String TCP_TRANSPORT = "Transport: RTP/AVP/TCP;unicast";

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
                RtspMjpegComponent component = getContext().getComponent("rtsp-mjpeg", RtspMjpegComponent.class);
                component.setMaxConnections(6);
                component.setMaxConnectionsPerAddress(MAX_CONNECTIONS_PER_ADDRESS);
                component.setMaxSessionsPerAddress(MAX_SESSIONS_PER_ADDRESS);
                component.setConnectionIdleTimeout(IDLE_TIMEOUT_MILLIS);
                component.setSetupTimeout(SETUP_TIMEOUT_MILLIS);
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam?maxViewers=3");
            }
        };
    }

    @BeforeEach
    void startFeed() {
        feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30);
    }

    @AfterEach
    void stopFeed() throws InterruptedException {
        feed.close();
    }

    private RtspMjpegEndpoint endpoint() {
        return context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam?maxViewers=3",
                RtspMjpegEndpoint.class);
    }

    private String url() {
        return "rtsp://127.0.0.1:" + rtspPort.getPort() + "/cam";
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWhileANewViewerGetsIn() throws Exception {
        List<RtspTestClient> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * MAX_CONNECTIONS_PER_ADDRESS; i++) {
                attackers.add(new RtspTestClient("127.0.0.2", "127.0.0.1", rtspPort.getPort(), "cam"));
            }
            int open = 0;
            for (RtspTestClient attacker : attackers) {
                open += keepAlive(attacker) ? 1 : 0;
            }
            assertThat(open).as("attacker's connections served").isEqualTo(MAX_CONNECTIONS_PER_ADDRESS);
            assertThat(endpoint().getConnectionsRefused()).isEqualTo(MAX_CONNECTIONS_PER_ADDRESS);
            try (ExternalTools.Peer viewer = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"), url(), "udp")) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                // the attacker keeps its connections busy, below the idle timeout, while the viewer starts
                while (RtspViewers.framesReceived(viewer) < 30 && viewer.isAlive() && System.nanoTime() < end) {
                    for (RtspTestClient attacker : attackers) {
                        keepAlive(attacker);
                    }
                    Thread.sleep(IDLE_TIMEOUT_MILLIS / 3);
                }
                assertThat(RtspViewers.framesReceived(viewer)).as("frames for the new viewer:\n" + viewer.output())
                        .isGreaterThanOrEqualTo(30);
            }
        } finally {
            for (RtspTestClient attacker : attackers) {
                attacker.close();
            }
        }
    }

    /** A GET_PARAMETER keep-alive; false once the server has closed the connection. */
    private static boolean keepAlive(RtspTestClient client) {
        try {
            client.request("GET_PARAMETER", client.url()).expect(200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void connectionsHoldingNoSessionAreClosedWhenIdleAndViewersAreNot() throws Exception {
        try (RtspTestClient idle = new RtspTestClient("127.0.0.3", "127.0.0.1", rtspPort.getPort(), "cam");
             RtspTestClient viewer = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            // Taken before the request: the server counts idleness from its last read, which comes after this instant.
            long idleSince = System.nanoTime();
            idle.request("OPTIONS", "*").expect(200);
            viewer.playInterleaved(); // and then sends nothing, as a TCP viewer that sends no RTCP
            assertThat(idle.closedByServer(Duration.ofMillis(IDLE_TIMEOUT_MILLIS + 2000))).as("idle connection closed")
                    .isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince)).as("closed after")
                    .isGreaterThanOrEqualTo(IDLE_TIMEOUT_MILLIS);
            assertThat(viewer.closedByServer(Duration.ofMillis(IDLE_TIMEOUT_MILLIS))).as("viewer's connection closed")
                    .isFalse();
            assertThat(endpoint().getViewers()).isEqualTo(1);
        }
    }

    @Test
    void setupsWithoutPlayHoldNoSlotBeyondTheSetupTimeout() throws Exception {
        try (RtspTestClient attacker = new RtspTestClient("127.0.0.2", "127.0.0.1", rtspPort.getPort(), "cam");
             RtspTestClient second = new RtspTestClient("127.0.0.3", "127.0.0.1", rtspPort.getPort(), "cam");
             RtspTestClient viewer = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            attacker.request("SETUP", attacker.trackUrl(), TCP_TRANSPORT).expect(200);
            attacker.request("SETUP", attacker.trackUrl(), TCP_TRANSPORT).expect(200);
            attacker.request("SETUP", attacker.trackUrl(), TCP_TRANSPORT).expect(503);
            assertThat(endpoint().getSessionsRefusedPerAddress()).isEqualTo(1);
            int port = LocalPorts.freeRtpPort();
            second.request("SETUP", second.trackUrl(), UDP_TRANSPORT + port + "-" + (port + 1)).expect(200);
            long setUp = System.nanoTime();
            assertThat(endpoint().getViewers()).isEqualTo(3);
            viewer.request("SETUP", viewer.trackUrl(), TCP_TRANSPORT).expect(503);

            await().atMost(Duration.ofMillis(SETUP_TIMEOUT_MILLIS + 2500)).until(() -> endpoint().getViewers() == 0);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setUp)).as("ended after")
                    .isGreaterThanOrEqualTo(SETUP_TIMEOUT_MILLIS);
            assertThat(endpoint().getSessionsNeverPlayed()).isEqualTo(3);
            try (ExternalTools.Peer ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"), url(), "tcp")) {
                RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void udpSessionNeverPlayedEndsWithItsConnection() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.4", "127.0.0.1", rtspPort.getPort(), "cam")) {
            int port = LocalPorts.freeRtpPort();
            client.request("SETUP", client.trackUrl(), UDP_TRANSPORT + port + "-" + (port + 1)).expect(200);
            assertThat(endpoint().getViewers()).isEqualTo(1);
        }
        await().atMost(Duration.ofMillis(SETUP_TIMEOUT_MILLIS / 2)).until(() -> endpoint().getViewers() == 0);
        assertThat(endpoint().getSessionsNeverPlayed()).as("ended by the close, not the setup timeout").isZero();
    }
}
