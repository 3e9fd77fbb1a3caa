package dev.mjpegrtp.camel.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One keep-alive connection, read as a client reads it: HEAD of PATH.jpg names the frame's length and sends no body,
 * GETs follow on the same connection, and the answer to the maxRequestsPerConnection-th request (3 here) says
 * {@code Connection: close} and the server closes.
 */
class HttpMjpegKeepAliveTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                getContext().getComponent("http-mjpeg", HttpMjpegComponent.class).setMaxRequestsPerConnection(3);
                from("direct:cam").to("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/cam");
            }
        };
    }

    @Test
    void headThenGetsUntilTheConnectionsLastRequest() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "bars", "smpte", "I420", 320, 240, 85));
        template.sendBody("direct:cam", jpeg);
        try (Socket socket = new Socket("127.0.0.1", httpPort.getPort())) {
            socket.setSoTimeout(5000);
            InputStream in = new BufferedInputStream(socket.getInputStream());

            Map<String, String> head = request(socket, in, "HEAD /cam.jpg");
            assertThat(head).containsEntry(":status", "HTTP/1.1 200 OK")
                    .containsEntry("content-length", String.valueOf(jpeg.length));

            Map<String, String> first = request(socket, in, "GET /cam.jpg");
            assertThat(first).containsEntry(":status", "HTTP/1.1 200 OK").doesNotContainEntry("connection", "close");
            assertThat(in.readNBytes(jpeg.length)).isEqualTo(jpeg);

            Map<String, String> last = request(socket, in, "GET /cam.json");
            assertThat(last).containsEntry(":status", "HTTP/1.1 200 OK").containsEntry("connection", "close");
            in.readNBytes(Integer.parseInt(last.get("content-length")));
            assertThat(in.read()).as("end of stream after the last answer").isEqualTo(-1);
        }
    }

    /** Sends a request and reads the answer's status line and headers (lower-case names; the status as ":status"). */
    private static Map<String, String> request(Socket socket, InputStream in, String requestLine) throws IOException {
        socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Map<String, String> headers = new HashMap<>();
        headers.put(":status", line(in));
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
