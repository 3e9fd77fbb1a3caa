package dev.mjpegrtp.camel.rtsp;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.TestCertificates;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peers of an rtsps:// server: bytes that are no ClientHello, a handshake that never completes, more
 * connections than one address may hold. Each is closed and counted, the log gets one line per kind and no stack
 * trace, and neither the keystore's password nor the key ever reaches the log.
 */
class RtspMjpegTlsHostilePeersTest extends CamelTestSupport {

    private static final int MAX_CONNECTIONS_PER_ADDRESS = 3;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 1000;

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @RegisterExtension
    AvailablePortFinder.Port port = AvailablePortFinder.find();

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.create(pki);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("rtsp-mjpeg", RtspMjpegComponent.class)
                .setMaxConnectionsPerAddress(MAX_CONNECTIONS_PER_ADDRESS);
        return context;
    }

    /** The server starts inside each test, so that the log capture sees its start. */
    private RtspMjpegEndpoint serve(String keyStorePassword) throws Exception {
        return serve(keyStorePassword, HANDSHAKE_TIMEOUT_MILLIS);
    }

    private RtspMjpegEndpoint serve(String keyStorePassword, int handshakeTimeoutMillis) throws Exception {
        String uri = "rtsp-mjpeg:127.0.0.1:" + port.getPort() + "/hostile?tlsKeyStoreFile=" + certificates.serverKeyStore()
                + "&tlsKeyStorePassword=RAW(" + keyStorePassword + ")&tlsHandshakeTimeout=" + handshakeTimeoutMillis;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:hostile").routeId("hostile").to(uri);
            }
        });
        return context.getEndpoint(uri, RtspMjpegEndpoint.class);
    }

    @Test
    void bytesThatAreNoClientHelloAreClosedCountedAndLoggedOnceWithoutAStackTrace() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            RtspMjpegEndpoint endpoint = serve(TestCertificates.KEY_STORE_PASSWORD);
            for (int i = 0; i < 20; i++) {
                try (Socket socket = new Socket("127.0.0.1", port.getPort())) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write(("OPTIONS rtsp://127.0.0.1/hostile RTSP/1.0\r\nCSeq: " + i
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(readsToTheEnd(socket.getInputStream())).as("connection " + i + " closed").isTrue();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.getTlsHandshakesFailed() == 20);
            List<String> handshakeLines = log.lines().stream().filter(line -> line.contains("TLS handshake")).toList();
            assertThat(handshakeLines).hasSize(1);
            assertThat(handshakeLines.get(0)).contains("NotSslRecordException").doesNotContain("\n");
            assertNoSecretIn(log.lines());
        }
    }

    @Test
    void aHandshakeThatNeverCompletesIsClosedAtTheHandshakeTimeout() throws Exception {
        RtspMjpegEndpoint endpoint = serve(TestCertificates.KEY_STORE_PASSWORD);
        try (Socket socket = new Socket("127.0.0.1", port.getPort())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            // a TLS handshake record header announcing 512 bytes, then nothing
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            assertThat(readsToTheEnd(socket.getInputStream())).isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            // the connection idle timeout (10 s) would close it too, later
            assertThat(millis).isBetween((long) HANDSHAKE_TIMEOUT_MILLIS - 100, 5000L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.getTlsHandshakesFailed() == 1);
    }

    @Test
    void connectionLimitsApplyBeforeTheHandshake() throws Exception {
        RtspMjpegEndpoint endpoint = serve(TestCertificates.KEY_STORE_PASSWORD, 10_000);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i <= MAX_CONNECTIONS_PER_ADDRESS; i++) {
                sockets.add(new Socket("127.0.0.1", port.getPort()));
            }
            // connections are admitted on two event loops: which one is refused is a race, that one is not
            int closed = 0;
            for (Socket socket : sockets) {
                socket.setSoTimeout(300);
                if (readsToTheEnd(socket.getInputStream())) {
                    closed++;
                }
            }
            assertThat(closed).as("connections closed before any handshake byte").isEqualTo(1);
            assertThat(endpoint.getConnectionsRefused()).isEqualTo(1);
            assertThat(endpoint.getTlsHandshakesFailed()).isZero();
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aWrongKeyStorePasswordFailsTheStartNamingTheOptionButNotThePassword() throws Exception {
        String wrong = "wrong-password-0815";
        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> serve(wrong))
                    .rootCause().satisfies(cause -> assertThat(cause.getMessage()).doesNotContain(wrong));
            assertThatThrownBy(() -> serve(wrong)).hasStackTraceContaining("tlsKeyStoreFile")
                    .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain(wrong));
            assertThat(log.lines()).noneMatch(line -> line.contains(wrong));
        }
    }

    private static String stackTrace(Throwable failure) {
        java.io.StringWriter out = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    private static void assertNoSecretIn(List<String> lines) throws Exception {
        String keyBody = Files.readAllLines(certificates.serverKey()).get(1);
        assertThat(lines).isNotEmpty()
                .noneMatch(line -> line.contains(TestCertificates.KEY_STORE_PASSWORD))
                .noneMatch(line -> line.contains("PRIVATE KEY"))
                .noneMatch(line -> line.contains(keyBody));
    }

    /** Whether the server closes the connection (end of stream or reset) before the socket's read timeout. */
    private static boolean readsToTheEnd(InputStream in) throws Exception {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // an alert, maybe: read on to the end
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (SocketTimeoutException open) {
            return false;
        }
    }
}
