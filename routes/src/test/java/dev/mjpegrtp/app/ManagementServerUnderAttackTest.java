package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LocalPorts;
import dev.mjpegrtp.testing.hostile.Attack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management server of the app streaming the demo, attacked over real sockets from 127.0.0.2-6 while a scraper on
 * 127.0.0.1 reads {@code /observe/metrics} and {@code /observe/health/ready} in a loop: a flood of idle connections
 * from one address (held at the per-address limit, the rest closed as they come), slowloris connections (closed at the
 * request timeout), clients that send GETs of the metrics and never read them, back to back or paced (closed after
 * one answer, or at the answer timeout once their buffers are full), and oversized or refused requests (414, 431,
 * 405, 413, closed without their bodies read). The scraper gets every answer, each within a second, and each metrics
 * page parses; the server never holds more connections than its limit, and lets go of every one the attackers held.
 * Idle connections from five addresses, which fill the server, give way to a new one; busy ones from four addresses
 * lock new ones out (what the limits cannot do) until they stop. An answer that never comes closes its connections
 * at the answer timeout, and the worker's queue stays bounded.
 */
class ManagementServerUnderAttackTest {

    /** What the scraper must get each answer within, whatever the attackers do. */
    private static final Duration SCRAPE_BOUND = Duration.ofSeconds(1);
    private static final long REQUEST_TIMEOUT = ObserveHttpServer.REQUEST_TIMEOUT_MILLIS;
    private static final long ANSWER_TIMEOUT = ObserveHttpServer.ANSWER_TIMEOUT_MILLIS;
    /** A timeout may fire this late on a busy machine, and its close take this long to reach the attacker. */
    private static final long TIMEOUT_SLACK_MILLIS = 2000;

    @TempDir
    static Path dir;
    private static int port;
    private static InetSocketAddress server;
    private static RunningApp app;
    private static ObserveHttpServer observe;

    @BeforeAll
    static void startApp() throws Exception {
        port = LocalPorts.freeTcpPort();
        server = new InetSocketAddress("127.0.0.1", port);
        app = new RunningApp(properties(port));
        observe = app.context().hasService(ObserveHttpServer.class);
        assertThat(observe).as("the management server among the context's services").isNotNull();
        await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> Scraper.get(port, "/observe/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void noConnectionsLeftByAnotherTest() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> observe.connections() <= 1);
    }

    @Test
    void scraperIsServedWhileAttackersFloodTrickleAndDoNotRead() throws Exception {
        ManagementConnectionFlood flood = new ManagementConnectionFlood(address("127.0.0.2"), server, 20);
        ManagementSlowloris slowloris = new ManagementSlowloris(address("127.0.0.3"), server, 3);
        NonReadingScrapers pipelined = new NonReadingScrapers(address("127.0.0.4"), server, 2, 0);
        NonReadingScrapers paced = new NonReadingScrapers(address("127.0.0.5"), server, 2, 100);
        long refusedBefore = observe.connectionsRefused();
        long requestsTimedOutBefore = observe.requestsTimedOut();
        long answersTimedOutBefore = observe.answersTimedOut();
        try (Scraper scraper = new Scraper(port);
                Attack attacks = Attack.together(flood, slowloris, pipelined, paced)) {
            scraper.start();
            await().atMost(10, TimeUnit.SECONDS).until(() -> scraper.answers() >= 4);
            attacks.start();

            // (d) refused requests, each closed without what follows it read
            InetAddress refused = address("127.0.0.6");
            assertThat(answerThenClose(refused, port, "GET /observe/metrics?" + "a".repeat(10_000)
                    + " HTTP/1.1\r\nHost: x\r\n\r\n", 0)).isEqualTo("HTTP/1.1 414 Request-URI Too Long");
            assertThat(answerThenClose(refused, port, "GET /observe/metrics HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "a".repeat(20_000) + "\r\n\r\n", 0)).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            assertThat(answerThenClose(refused, port, "POST /observe/metrics HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100000000\r\n\r\n", 100_000_000)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
            assertThat(answerThenClose(refused, port, "GET /observe/health HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100000000\r\n\r\n", 100_000_000)).isEqualTo("HTTP/1.1 413 Request Entity Too Large");

            // (b) and (c) last until their timeouts; the flood goes on meanwhile
            await().atMost(REQUEST_TIMEOUT + ANSWER_TIMEOUT + 2 * TIMEOUT_SLACK_MILLIS, TimeUnit.MILLISECONDS)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> slowloris.openConnections() == 0 && pipelined.openConnections() == 0
                            && paced.openConnections() == 0);
            attacks.close();
            scraper.close();
            System.out.println("Attacks: " + attacks.summary());
            System.out.println("Scraper: " + scraper.summary() + "; server: at most " + observe.peakConnections()
                    + " connections and " + observe.peakAnswersUnwritten() + " answers waiting to be written at once");

            assertThat(scraper.failures()).as("the scraper's failures").isEmpty();
            assertThat(scraper.answers()).as("answers the scraper got").isGreaterThan(20);
            assertThat(scraper.slowest()).as("the scraper's slowest answer").isLessThan(SCRAPE_BOUND);

            // (a) one address holds at most its limit; the server at most its own, and refuses the rest
            assertThat(flood.peakHeld()).as("connections of the flood held at once")
                    .isLessThanOrEqualTo(ObserveHttpServer.MAX_CONNECTIONS_PER_ADDRESS).isPositive();
            assertThat(observe.peakConnections()).as("connections open at once, server-side")
                    .isLessThanOrEqualTo(ObserveHttpServer.MAX_CONNECTIONS);
            assertThat(observe.connectionsRefused() - refusedBefore).as("connections refused").isGreaterThanOrEqualTo(16);

            // (b) every slowloris connection closed at the request timeout, not before
            for (HttpAttack.Connection connection : slowloris.connections()) {
                assertThat(connection.lifetimeMillis()).as("a slowloris connection's life")
                        .isBetween(REQUEST_TIMEOUT - 100, REQUEST_TIMEOUT + TIMEOUT_SLACK_MILLIS);
                assertThat(connection.bytesRead).as("bytes a slowloris connection got").isZero();
            }
            assertThat(observe.requestsTimedOut() - requestsTimedOutBefore).as("connections closed at the request timeout")
                    .isGreaterThanOrEqualTo(3);

            // (c) back to back: closed after the first answer; paced: once the buffers hold what they can, closed
            // at the answer timeout
            for (HttpAttack.Connection connection : pipelined.connections()) {
                assertThat(connection.lifetimeMillis()).as("a pipelining non-reader's life")
                        .isLessThan(ANSWER_TIMEOUT + TIMEOUT_SLACK_MILLIS);
            }
            for (HttpAttack.Connection connection : paced.connections()) {
                assertThat(connection.lifetimeMillis()).as("a paced non-reader's life")
                        .isGreaterThanOrEqualTo(ANSWER_TIMEOUT - 100)
                        .isLessThan(REQUEST_TIMEOUT + ANSWER_TIMEOUT + TIMEOUT_SLACK_MILLIS);
            }
            assertThat(observe.answersTimedOut() - answersTimedOutBefore).as("connections closed at the answer timeout")
                    .isGreaterThanOrEqualTo(2);
            assertThat(observe.peakAnswersUnwritten()).as("answers waiting at once to be written")
                    .isLessThanOrEqualTo(ObserveHttpServer.MAX_CONNECTIONS);
        }
        // every connection the attackers held is let go: only what the scraper's client may keep is left
        await().atMost(5, TimeUnit.SECONDS).until(() -> observe.connections() <= 1);
    }

    /**
     * Idle connections from five addresses, four each, fill the server's sixteen; a new connection takes the place of
     * the one that has waited longest and is answered at once.
     */
    @Test
    void idleConnectionsFromManyAddressesGiveWayToANewOne() throws Exception {
        List<Attack> floods = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            floods.add(new ManagementConnectionFlood(address("127.0.1." + i), server, 4));
        }
        long evictedBefore = observe.connectionsEvicted();
        try (Attack attacks = Attack.together(floods.toArray(Attack[]::new))) {
            attacks.start();
            await().atMost(5, TimeUnit.SECONDS).until(() -> observe.connections() == ObserveHttpServer.MAX_CONNECTIONS);
            Thread.sleep(ObserveHttpServer.EVICTABLE_AFTER_MILLIS); // until the flood's connections may give way
            long start = System.nanoTime();
            assertThat(statusLine(port)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SCRAPE_BOUND);
            System.out.println("Attacks: " + attacks.summary());
        }
        assertThat(observe.connectionsEvicted() - evictedBefore).as("connections that gave way").isPositive();
        assertThat(observe.peakConnections()).isLessThanOrEqualTo(ObserveHttpServer.MAX_CONNECTIONS);
    }

    /**
     * What the limits cannot do, as the server's javadoc says: busy clients from four addresses, four connections each
     * asking and reading every 100 ms, hold all sixteen; a new connection is closed as it comes until they stop, and
     * answered at once after.
     */
    @Test
    void busyClientsFromFourAddressesLockNewConnectionsOutUntilTheyStop() throws Exception {
        List<BusyScrapers> busy = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            busy.add(new BusyScrapers(address("127.0.2." + i), server, ObserveHttpServer.MAX_CONNECTIONS_PER_ADDRESS));
        }
        long refusedBefore = observe.connectionsRefused();
        try (Attack attacks = Attack.together(busy.toArray(Attack[]::new))) {
            attacks.start();
            await().atMost(5, TimeUnit.SECONDS).until(() -> observe.connections() == ObserveHttpServer.MAX_CONNECTIONS
                    && busy.stream().mapToInt(BusyScrapers::openConnections).sum() == ObserveHttpServer.MAX_CONNECTIONS);
            try (Socket locked = new Socket("127.0.0.1", port)) {
                locked.setSoTimeout(5000);
                locked.getOutputStream().write(("GET " + MetricsEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(endOfStream(locked)).as("a connection over the limit of busy ones, closed").isTrue();
            }
            System.out.println("Attacks: " + attacks.summary());
        }
        assertThat(observe.connectionsRefused() - refusedBefore).isPositive();
        await().atMost(5, TimeUnit.SECONDS).until(() -> observe.connections() <= 1);
        long start = System.nanoTime();
        assertThat(statusLine(port)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SCRAPE_BOUND);
    }

    /**
     * An answer that takes longer than the answer timeout to compute (a health check that blocks) costs its connections
     * and no more: each is closed at the answer timeout, the worker's queue holds one task a connection and answers
     * the requests beyond it with 503 at once, and the server answers again as soon as the computation returns.
     */
    @Test
    void answersThatNeverComeCloseTheirConnectionsAndTheWorkersQueueStaysBounded() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        int stuckPort = LocalPorts.freeTcpPort();
        ObserveHttpServer stuck = new ObserveHttpServer(app.context(), new InetSocketAddress("127.0.0.1", stuckPort))
                .serve("/stuck", (path, accept) -> {
                    try {
                        blocked.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ObserveAnswer.text(200, "OK");
                });
        stuck.start();
        List<Socket> sockets = new ArrayList<>();
        try {
            int max = ObserveHttpServer.MAX_CONNECTIONS;
            List<Socket> first = requestsOfStuck(stuckPort, "127.0.3.", max);
            sockets.addAll(first);
            long sent = System.nanoTime();
            for (Socket socket : first) {
                socket.setSoTimeout((int) (ANSWER_TIMEOUT + TIMEOUT_SLACK_MILLIS));
                assertThat(endOfStream(socket)).as("a connection whose answer never comes, closed").isTrue();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(ANSWER_TIMEOUT - 100);
            assertThat(stuck.answersTimedOut()).isEqualTo(max);

            // the worker still blocked in the first request, the other 15 tasks queued: one more fits, the rest get 503
            List<Socket> second = requestsOfStuck(stuckPort, "127.0.4.", max);
            sockets.addAll(second);
            int refused = 0;
            Socket waiting = null;
            for (Socket socket : second) {
                socket.setSoTimeout(1000);
                try {
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable");
                    refused++;
                } catch (SocketTimeoutException e) {
                    waiting = socket;
                }
            }
            assertThat(refused).as("requests refused for the worker's queue").isEqualTo(max - 1);
            assertThat(waiting).as("the request whose task fits in the queue").isNotNull();

            blocked.countDown();
            waiting.setSoTimeout((int) SCRAPE_BOUND.toMillis());
            assertThat(new String(waiting.getInputStream().readNBytes(15), StandardCharsets.US_ASCII))
                    .as("the answer once the computation returns").isEqualTo("HTTP/1.1 200 OK");
        } finally {
            blocked.countDown();
            for (Socket socket : sockets) {
                socket.close();
            }
            stuck.stop();
        }
    }

    /** Connections, four from each address of {@code prefix}1, 2..., each sending a GET of /stuck. */
    private static List<Socket> requestsOfStuck(int port, String prefix, int connections) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            InetAddress source = address(prefix + (1 + i / ObserveHttpServer.MAX_CONNECTIONS_PER_ADDRESS));
            Socket socket = new Socket("127.0.0.1", port, source, 0);
            sockets.add(socket);
            socket.getOutputStream().write("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return sockets;
    }

    /** The status line of the answer to a GET of the metrics on a new connection from 127.0.0.1. */
    private static String statusLine(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + MetricsEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.isEmpty() ? "(closed without an answer)" : answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    private static Map<String, String> properties(int managementPort) throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put("demo.port", String.valueOf(LocalPorts.freeRtpPort()));
        properties.put("demo.width", "320");
        properties.put("demo.height", "240");
        properties.put("demo.sdpFile", dir.resolve("demo.sdp").toString());
        properties.put("demo.rtspPort", String.valueOf(LocalPorts.freeTcpPort()));
        properties.put("camel.management.enabled", "true");
        properties.put("camel.management.port", String.valueOf(managementPort));
        properties.put("camel.management.metricsEnabled", "true");
        properties.put("camel.management.healthCheckEnabled", "true");
        return properties;
    }

    /** Whether the server closed the connection (a reset when it had not read what was sent) without answering. */
    private static boolean endOfStream(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static InetAddress address(String host) throws IOException {
        return InetAddress.getByName(host);
    }

    /**
     * Sends {@code head} and returns the status line of the answer, which must close the connection; then tries to
     * send a body of {@code bodyBytes}, which the server must not take.
     */
    private static String answerThenClose(InetAddress source, int port, String head, long bodyBytes)
            throws IOException {
        String request = head.substring(0, head.indexOf(' ')) + " of " + head.length() + " bytes";
        try (Socket socket = new Socket("127.0.0.1", port, source, 0)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open after refusing a " + request);
            }
            assertThat(answer.toLowerCase()).as("the answer to a " + request).contains("\r\nconnection: close\r\n");
            long sent = 0;
            byte[] chunk = new byte[64 * 1024];
            try {
                while (sent < bodyBytes) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (IOException closed) {
                // the server closed the connection without reading the body: what it must do
            }
            if (bodyBytes > 0) {
                assertThat(sent).as("body bytes the closed connection took after the answer to a " + request)
                        .isLessThan(1024 * 1024);
            }
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    /**
     * A Prometheus-like scraper: GETs the metrics and the readiness in a loop over one keep-alive connection (java's
     * HttpClient), parses every metrics page and times every answer.
     */
    static final class Scraper extends Thread implements AutoCloseable {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private final int port;
        private final List<String> failures = new ArrayList<>();
        private volatile boolean stopped;
        private int answers;
        private Duration slowest = Duration.ZERO;

        Scraper(int port) {
            super("scraper");
            this.port = port;
            setDaemon(true);
        }

        static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void run() {
            while (!stopped) {
                for (String path : List.of(MetricsEndpoint.PATH, HealthEndpoint.PATH + "/ready")) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> answer = get(port, path);
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        if (answer.statusCode() != 200) {
                            failed(path + ": " + answer.statusCode() + " " + answer.body());
                        } else if (path.equals(MetricsEndpoint.PATH) && new PrometheusText(answer.body()).samples()
                                .keySet().stream().noneMatch(s -> s.name().equals("mjpegrtp_frames_sent_total"))) {
                            failed(path + ": no mjpegrtp_frames_sent_total");
                        } else {
                            answered(took);
                        }
                    } catch (IOException | RuntimeException e) {
                        failed(path + ": " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void failed(String what) {
            if (failures.size() < 10) {
                failures.add(what);
            }
        }

        private synchronized void answered(Duration took) {
            answers++;
            if (took.compareTo(slowest) > 0) {
                slowest = took;
            }
        }

        synchronized int answers() {
            return answers;
        }

        synchronized Duration slowest() {
            return slowest;
        }

        synchronized List<String> failures() {
            return List.copyOf(failures);
        }

        synchronized String summary() {
            return answers + " answers, the slowest in " + slowest.toMillis() + " ms, " + failures.size() + " failures";
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            join(10_000);
        }
    }
}
