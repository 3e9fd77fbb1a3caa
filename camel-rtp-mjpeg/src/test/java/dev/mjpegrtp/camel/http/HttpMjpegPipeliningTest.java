package dev.mjpegrtp.camel.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.mjpegrtp.testing.TestCertificates;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines requests and does not read: the server reads them in one go, and must not queue an answer
 * for each. It answers while the kernel takes the answers, then the first request read while an answer waits ends the
 * connection after that answer, over plain HTTP and over TLS alike, with the answers in flight still delivered.
 */
class HttpMjpegPipeliningTest extends CamelTestSupport {

    /** Under the default maxRequestsPerConnection (100): none of them ends the connection by itself. */
    private static final int REQUESTS = 99;

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();
    @RegisterExtension
    AvailablePortFinder.Port httpsPort = AvailablePortFinder.find();

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
                from("direct:cam").to("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/cam")
                        .to("http-mjpeg:127.0.0.1:" + httpsPort.getPort() + "/cam?tlsCertificateFile="
                                + certificates.serverCertificate() + "&tlsKeyFile=" + certificates.serverKey());
            }
        };
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void requestsReadWhileAnAnswerWaitsEndTheConnectionInsteadOfQueueingAnswers(boolean tls) throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "snow", "snow", "I420", 1280, 720, 85));
        template.sendBody("direct:cam", jpeg);
        String request = "GET /cam.jpg HTTP/1.1\r\nHost: x\r\n\r\n";
        // far more than the kernel buffers on a connection (net.ipv4.tcp_wmem: 4 MB at most by default)
        assertThat((long) REQUESTS * jpeg.length).isGreaterThan(16L << 20);

        try (Socket socket = connect(tls)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.repeat(REQUESTS).getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(500); // the server reads them all while nothing is read here

            InputStream in = new BufferedInputStream(socket.getInputStream());
            int answers = 0;
            for (String status = statusLine(in); status != null; status = statusLine(in)) {
                assertThat(status).isEqualTo("HTTP/1.1 200 OK");
                int length = contentLength(in);
                assertThat(in.readNBytes(length)).isEqualTo(jpeg);
                answers++;
            }
            assertThat(answers).as("answers before the connection ended").isBetween(1, REQUESTS - 1);
        }
    }

    /** A connection that takes 4 KB of answers at a time until it reads; over TLS, trusting the test CA. */
    private Socket connect(boolean tls) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", (tls ? httpsPort : httpPort).getPort()));
        if (!tls) {
            return socket;
        }
        SSLContext context = TestCertificates.clientContext(certificates.caCertificate(), null);
        SSLSocket tlsSocket = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1",
                httpsPort.getPort(), true);
        tlsSocket.startHandshake();
        return tlsSocket;
    }

    /** The next answer's status line; null at the end of the connection. */
    private static String statusLine(InputStream in) throws IOException {
        int first = in.read();
        return first < 0 ? null : (char) first + line(in);
    }

    private static int contentLength(InputStream in) throws IOException {
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("Content-Length").isPositive();
        return length;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection inside an answer");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
