package dev.mjpegrtp.camel.rtsp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;
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
 * What a peer without credentials can do to a server with a protected path (/door with Digest, /gate for 127.0.0.1
 * only): guessing passwords from one address gets it throttled, with two log lines, while a viewer with the password
 * plays from another; an unknown path answers as a protected one; a keep-alive without credentials keeps no session
 * alive; a connection granted no path within the authentication timeout is closed.
 */
class RtspMjpegUnauthenticatedPeersTest extends CamelTestSupport {

    private static final String USER = "viewer";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final long AUTHENTICATION_TIMEOUT_MILLIS = 1000;
    private static final long SESSION_TIMEOUT_MILLIS = 3000;
    private static final int MAX_FAILURES = 10;
    private static final String ATTACKER = "127.0.0.2";

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private LogCapture logs;
    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                RtspMjpegComponent component = getContext().getComponent("rtsp-mjpeg", RtspMjpegComponent.class);
                component.setAuthenticationTimeout(AUTHENTICATION_TIMEOUT_MILLIS);
                component.setSessionTimeout(SESSION_TIMEOUT_MILLIS);
                component.setMaxAuthenticationFailures(MAX_FAILURES);
                String base = "rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort();
                from("direct:frames").multicast()
                        .to(base + "/door?username=" + USER + "&password=RAW(" + PASSWORD + ")")
                        .to(base + "/gate?allowedClients=127.0.0.1/32");
            }
        };
    }

    @Override
    protected void doPreSetup() {
        logs = LogCapture.start();
    }

    @BeforeEach
    void startFeed() {
        feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
        logs.close();
    }

    private String url(String path) {
        return "rtsp://127.0.0.1:" + rtspPort.getPort() + "/" + path;
    }

    private RtspTestClient client(String localAddress, String path) throws IOException {
        return RtspTestClient.from(localAddress, "127.0.0.1", rtspPort.getPort(), path);
    }

    private RtspMjpegEndpoint door() {
        return context.getEndpoints().stream().filter(RtspMjpegEndpoint.class::isInstance)
                .map(RtspMjpegEndpoint.class::cast).filter(endpoint -> endpoint.getUrl().endsWith("/door"))
                .findFirst().orElseThrow();
    }

    private int viewersOfDoor() {
        return door().getViewers();
    }

    @Test
    void guessingFromOneAddressIsThrottledWhileAViewerFromAnotherPlays() throws Exception {
        Map<Integer, AtomicInteger> guesses = new ConcurrentHashMap<>();
        List<String> retryAfters = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger connections = new AtomicInteger();
        Thread attacker = new Thread(() -> {
            String challenge = null;
            while (!stop.get()) {
                // a few requests per connection: under maxRequestsPerSecond, and before the authentication timeout
                try (RtspTestClient guesser = client(ATTACKER, "door")) {
                    connections.incrementAndGet();
                    RtspTestClient.Response first = guesser.request("DESCRIBE", guesser.url());
                    if (first.status() == 401) {
                        challenge = first.header("www-authenticate");
                    }
                    for (int i = 0; i < 8 && challenge != null && !stop.get(); i++) {
                        RtspTestClient.Response guessed = guesser.request("DESCRIBE", guesser.url(),
                                RtspTestClient.digestAuthorization(challenge, "DESCRIBE", guesser.url(), USER,
                                        "guess-" + i, true));
                        guesses.computeIfAbsent(guessed.status(), status -> new AtomicInteger()).incrementAndGet();
                        if (guessed.status() == 503) {
                            synchronized (retryAfters) {
                                retryAfters.add(guessed.header("retry-after"));
                            }
                        }
                        Thread.sleep(5);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: the next connection goes on guessing
                }
            }
        }, "password-guesser");
        attacker.start();
        ExternalTools.Peer ffmpeg = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> guesses.containsKey(503));
            ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                    url("door").replace("rtsp://", "rtsp://" + USER + ":" + PASSWORD + "@"), "tcp");
            RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            int framesBefore = RtspViewers.framesReceived(ffmpeg);
            Thread.sleep(2000);
            assertThat(RtspViewers.framesReceived(ffmpeg) - framesBefore).as("the viewer's frames in 2 s, 30 fps sent")
                    .isGreaterThan(40);
        } finally {
            stop.set(true);
            attacker.join(10_000);
            if (ffmpeg != null) {
                ffmpeg.close();
            }
        }
        assertThat(guesses.get(401)).as("guesses looked at").hasValue(MAX_FAILURES);
        assertThat(guesses.get(503).get()).as("guesses refused").isGreaterThan(100);
        assertThat(guesses.keySet()).containsOnly(401, 503);
        assertThat(door().getAuthenticationFailures()).as("counted in the endpoint's metrics").isEqualTo(MAX_FAILURES);
        assertThat(door().getAuthenticationsThrottled()).isGreaterThanOrEqualTo(guesses.get(503).get());
        synchronized (retryAfters) {
            assertThat(retryAfters).allSatisfy(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        }
        try (RtspTestClient rightPassword = client(ATTACKER, "door")) {
            RtspTestClient.Response asked = rightPassword.request("DESCRIBE", rightPassword.url());
            assertThat(asked.status()).as("a throttled address learns nothing, right password or not").isEqualTo(503);
        }
        List<String> aboutAttacker = logs.lines().stream().filter(line -> line.contains(ATTACKER))
                .filter(line -> !line.startsWith("Closing")).toList(); // DEBUG lines about closed connections
        assertThat(aboutAttacker).as(guesses.get(503) + " guesses on " + connections + " connections")
                .hasSize(2).anyMatch(line -> line.startsWith("Refused DESCRIBE of /door: wrong credentials to "))
                .anyMatch(line -> line.startsWith("Throttling " + ATTACKER));
    }

    @Test
    void anUnknownPathAnswersAsAProtectedOne() throws Exception {
        try (RtspTestClient local = client("127.0.0.1", "door"); RtspTestClient other = client(ATTACKER, "gate")) {
            RtspTestClient.Response door = local.request("DESCRIBE", url("door")).expect(401);
            RtspTestClient.Response unknown = local.request("DESCRIBE", url("nope")).expect(401);
            assertThat(unknown.headers().keySet()).isEqualTo(door.headers().keySet());
            String doorNonce = RtspTestClient.param(door.header("www-authenticate"), "nonce");
            String unknownNonce = RtspTestClient.param(unknown.header("www-authenticate"), "nonce");
            assertThat(unknown.header("www-authenticate").replace(unknownNonce, "N"))
                    .isEqualTo(door.header("www-authenticate").replace(doorNonce, "N"));
            assertThat(unknownNonce).hasSameSizeAs(doorNonce);
            local.request("SETUP", url("nope/trackID=0"), "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").expect(401);
            local.request("DESCRIBE", url("nope"), RtspTestClient.digestAuthorization(unknown.header("www-authenticate"),
                    "DESCRIBE", url("nope"), USER, PASSWORD, true)).expect(401);
            // an address a path refuses gets that path's answer for an unknown one too
            other.request("DESCRIBE", url("gate")).expect(403);
            other.request("DESCRIBE", url("nope")).expect(403);
        }
    }

    @Test
    void aKeepAliveWithoutCredentialsKeepsNoSessionAlive() throws Exception {
        try (UdpViewer withCredentials = new UdpViewer(); UdpViewer without = new UdpViewer()) {
            withCredentials.play();
            without.play();
            assertThat(viewersOfDoor()).isEqualTo(2);
            boolean withoutOpen = true;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SESSION_TIMEOUT_MILLIS + 3000);
            while (System.nanoTime() < end) {
                RtspTestClient.Response kept = withCredentials.request("OPTIONS", "*",
                        "Session: " + withCredentials.session).expect(200);
                assertThat(kept.session()).isEqualTo(withCredentials.session);
                if (withoutOpen) {
                    try {
                        RtspTestClient.Response notKept = without.client.request("OPTIONS", "*",
                                "Session: " + without.session).expect(200);
                        assertThat(notKept.session()).as("nothing said about the session").isNull();
                    } catch (IOException e) {
                        withoutOpen = false; // its session was reaped, and its connection with it
                    }
                }
                Thread.sleep(SESSION_TIMEOUT_MILLIS / 6);
            }
            assertThat(viewersOfDoor()).as("only the session kept alive with credentials").isEqualTo(1);
            withCredentials.request("GET_PARAMETER", url("door"), "Session: " + withCredentials.session).expect(200);
        }
    }

    @Test
    void aConnectionGrantedNoPathIsClosedAtTheAuthenticationTimeout() throws Exception {
        try (RtspTestClient idle = client("127.0.0.1", "door"); RtspTestClient asking = client("127.0.0.1", "door");
             RtspTestClient granted = client("127.0.0.1", "door")) {
            long start = System.nanoTime();
            String challenge = granted.request("DESCRIBE", granted.url()).expect(401).header("www-authenticate");
            granted.request("DESCRIBE", granted.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    granted.url(), USER, PASSWORD, true)).expect(200);
            long askingClosedMillis = -1;
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2500)) {
                granted.request("OPTIONS", "*").expect(200);
                if (askingClosedMillis < 0) {
                    try {
                        asking.request("OPTIONS", "*").expect(200);
                        asking.request("DESCRIBE", asking.url()).expect(401);
                    } catch (IOException e) {
                        askingClosedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    }
                }
                Thread.sleep(200);
            }
            assertThat(askingClosedMillis).as("busy without credentials: closed after the authentication timeout")
                    .isBetween(AUTHENTICATION_TIMEOUT_MILLIS - 100, AUTHENTICATION_TIMEOUT_MILLIS + 1200);
            assertThat(idle.closedByServer(Duration.ofMillis(100))).as("idle without credentials").isTrue();
            granted.request("OPTIONS", "*").expect(200);
        }
    }

    /** A viewer of /door over UDP that answers Digest with qop, counting its requests on the nonce. */
    private final class UdpViewer implements AutoCloseable {
        final RtspTestClient client;
        final DatagramSocket rtp;
        final DatagramSocket rtcp;
        String challenge;
        int nonceCount;
        String session;

        UdpViewer() throws IOException {
            int port = LocalPorts.freeRtpPort();
            rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
            client = client("127.0.0.1", "door");
        }

        RtspTestClient.Response request(String method, String requestUrl, String... headers) throws IOException {
            if (challenge == null) {
                challenge = client.request("DESCRIBE", client.url()).expect(401).header("www-authenticate");
            }
            String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
            all[headers.length] = RtspTestClient.digestAuthorization(challenge, method, requestUrl, USER, PASSWORD,
                    ++nonceCount);
            return client.request(method, requestUrl, all);
        }

        void play() throws IOException {
            int port = rtp.getLocalPort();
            session = request("SETUP", client.trackUrl(), "Transport: RTP/AVP;unicast;client_port=" + port + "-"
                    + (port + 1)).expect(200).session();
            request("PLAY", client.url(), "Session: " + session).expect(200);
        }

        @Override
        public void close() throws IOException {
            client.close();
            rtp.close();
            rtcp.close();
        }
    }
}
