package dev.mjpegrtp.camel.rtsp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestCertificates;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * rtsps://: FFmpeg and GStreamer's rtspsrc play a still route over RTSP over TLS and decode every frame to what their
 * own decoder makes of the source JPEG; clients that do not trust the certificate, and clients without a certificate
 * where one is required, are refused; UDP transport is refused with 461, since it would carry the stream in the clear.
 *
 * <p>FFmpeg's RTSP demuxer hands no options to its TLS connection: it never verifies the server's certificate and
 * cannot present one of its own. So the refusals are shown with rtspsrc and a JDK client, which can.
 */
class RtspMjpegTlsTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int FRAMES = 3;
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @RegisterExtension
    AvailablePortFinder.Port serverPort = AvailablePortFinder.find();
    @RegisterExtension
    AvailablePortFinder.Port clientCertificatePort = AvailablePortFinder.find();
    @RegisterExtension
    AvailablePortFinder.Port parametersPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.create(pki);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                from("direct:still").process("jpegToRfc2435").to("rtsp-mjpeg:127.0.0.1:" + serverPort.getPort()
                        + "/still?tlsCertificateFile=" + certificates.serverCertificate() + "&tlsKeyFile="
                        + certificates.serverKey());
                from("direct:clientCertificate").process("jpegToRfc2435").to("rtsp-mjpeg:127.0.0.1:"
                        + clientCertificatePort.getPort() + "/still?tlsKeyStoreFile=" + certificates.serverKeyStore()
                        + "&tlsKeyStorePassword=RAW(" + TestCertificates.KEY_STORE_PASSWORD + ")&tlsClientCaFile="
                        + certificates.clientCaCertificate());
                context.getRegistry().bind("serverTls", sslContextParameters());
                from("direct:parameters").process("jpegToRfc2435").to("rtsp-mjpeg:127.0.0.1:" + parametersPort.getPort()
                        + "/still?sslContextParameters=#serverTls");
            }
        };
    }

    @Test
    void ffmpegDecodesEveryFrameToTheSourcesPixels() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path out = dir.resolve("received.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS);
             ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"), url(serverPort, "still"),
                     "tcp", FRAMES, out)) {
            ffmpeg.awaitExit(Duration.ofSeconds(30));
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(FRAMES * expected.length);
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * expected.length, (i + 1) * expected.length),
                    expected, "frame " + i + " ffmpeg decoded over rtsps");
        }
    }

    @Test
    void gstreamerDecodesEveryFrameToTheSourcesPixels() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        byte[] expected = TestImages.gstDecodeI420(source);
        Path frames = Files.createDirectories(dir.resolve("frames"));
        List<byte[]> received;
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS);
             ExternalTools.Peer gst = RtspViewers.gstDecoding(dir.resolve("gst.log"), url(serverPort, "still"), "tcp",
                     frames, "tls-validation-flags=0")) {
            received = RtspViewers.awaitDecodedFrames(gst, frames, FRAMES, expected.length, Duration.ofSeconds(30));
        }
        for (int i = 0; i < received.size(); i++) {
            Pixels.assertIdentical(received.get(i), expected, "frame " + i + " rtspsrc decoded over rtsps");
        }
    }

    @Test
    void clientsThatDoNotTrustTheCertificateAreRefused() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        Path frames = Files.createDirectories(dir.resolve("frames"));
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS)) {
            // rtspsrc validates the certificate by default, against the system's CAs
            try (ExternalTools.Peer gst = RtspViewers.gstDecoding(dir.resolve("gst.log"), url(serverPort, "still"),
                    "tcp", frames)) {
                assertThat(gst.awaitFailure(Duration.ofSeconds(30))).contains("Failed to connect");
            }
            assertThatThrownBy(() -> TlsRtspClient.connect(serverPort.getPort(),
                    certificates.otherCaCertificate(), null).close()).isInstanceOf(SSLHandshakeException.class);
        }
        try (var written = Files.list(frames)) {
            assertThat(written).isEmpty();
        }
        // the server learns of a refusal when the client's alert or close arrives, maybe after the client gave up
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(endpoint(serverPort).getTlsHandshakesFailed()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void aClientCertificateIsRequiredWhereConfigured() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        String url = url(clientCertificatePort, "still");
        Path frames = Files.createDirectories(dir.resolve("frames"));
        try (FrameFeed feed = FrameFeed.start(template, "direct:clientCertificate", List.of(Files.readAllBytes(source)),
                FPS)) {
            try (ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"), url, "tcp", 1,
                    dir.resolve("ffmpeg.yuv"))) {
                assertThat(ffmpeg.awaitFailure(Duration.ofSeconds(30))).contains("TLS fatal alert");
            }
            try (ExternalTools.Peer gst = RtspViewers.gstDecoding(dir.resolve("gst.log"), url, "tcp", frames,
                    "tls-validation-flags=0")) {
                gst.awaitFailure(Duration.ofSeconds(30));
            }
            try (TlsRtspClient withCertificate = TlsRtspClient.connect(clientCertificatePort.getPort(),
                    certificates.caCertificate(), certificates.clientKeyStore())) {
                assertThat(withCertificate.exchange("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
                        .first().isEqualTo("RTSP/1.0 200 OK");
            }
        }
        try (var written = Files.list(frames)) {
            assertThat(written).isEmpty();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(endpoint(clientCertificatePort).getTlsHandshakesFailed()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void udpTransportIsRefusedAndTheUrlsSayRtsps() throws Exception {
        String url = url(serverPort, "still");
        assertThat(endpoint(serverPort).getUrl()).isEqualTo(url);
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        try (FrameFeed feed = FrameFeed.start(template, "direct:still", List.of(Files.readAllBytes(source)), FPS);
             TlsRtspClient client = TlsRtspClient.connect(serverPort.getPort(), certificates.caCertificate(), null)) {
            // Netty writes header names in lower case
            assertThat(client.exchange("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
                    .contains("content-base: " + url + "/");
            assertThat(client.exchange("SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                    + "Transport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n"))
                    .first().isEqualTo("RTSP/1.0 461 Unsupported transport");
            assertThat(client.exchange("SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                    + "Transport: RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"))
                    .first().isEqualTo("RTSP/1.0 200 OK");
        }
    }

    @Test
    void camelsSslContextParametersServeRtsps() throws Exception {
        String url = url(parametersPort, "still");
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", WIDTH, HEIGHT, 85);
        try (FrameFeed feed = FrameFeed.start(template, "direct:parameters", List.of(Files.readAllBytes(source)), FPS);
             TlsRtspClient client = TlsRtspClient.connect(parametersPort.getPort(), certificates.caCertificate(), null)) {
            assertThat(client.exchange("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
                    .first().isEqualTo("RTSP/1.0 200 OK");
            assertThat(client.protocol()).isIn("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void everyPathOfOneServerNamesTheSameTlsOptions() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:plain").to("rtsp-mjpeg:127.0.0.1:" + serverPort.getPort() + "/plain");
            }
        })).hasStackTraceContaining("all paths of one server must name the same TLS options");
        assertThat(endpoint(serverPort).isListening()).isTrue();
    }

    /** Camel's JSSE configuration of the server's keystore, as a user would bind it. */
    private static SSLContextParameters sslContextParameters() {
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource("file:" + certificates.serverKeyStore());
        keyStore.setPassword(TestCertificates.KEY_STORE_PASSWORD);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(TestCertificates.KEY_STORE_PASSWORD);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        return parameters;
    }

    private String url(AvailablePortFinder.Port port, String path) {
        return "rtsps://127.0.0.1:" + port.getPort() + "/" + path;
    }

    /** The path {@code still} on that port's server (a test may add other paths, which the registry keeps). */
    private RtspMjpegEndpoint endpoint(AvailablePortFinder.Port port) {
        return context.getEndpoints().stream()
                .filter(e -> e instanceof RtspMjpegEndpoint && e.getEndpointUri().contains(":" + port.getPort() + "/still"))
                .map(RtspMjpegEndpoint.class::cast).findFirst().orElseThrow();
    }

    /** A JDK TLS client trusting one CA, sending RTSP requests and reading their responses' status and headers. */
    private static final class TlsRtspClient implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;

        private TlsRtspClient(SSLSocket socket) throws Exception {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        }

        /** @param clientKeyStore the PKCS12 keystore of the client certificate to present; null for none */
        static TlsRtspClient connect(int port, Path caCertificate, Path clientKeyStore) throws Exception {
            SSLContext context = TestCertificates.clientContext(caCertificate, clientKeyStore);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
            try {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                return new TlsRtspClient(socket);
            } catch (Exception e) {
                socket.close();
                throw e;
            }
        }

        String protocol() {
            return socket.getSession().getProtocol();
        }

        List<String> exchange(String request) throws Exception {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> lines = new ArrayList<>();
            int contentLength = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.skip(contentLength);
            return lines;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
