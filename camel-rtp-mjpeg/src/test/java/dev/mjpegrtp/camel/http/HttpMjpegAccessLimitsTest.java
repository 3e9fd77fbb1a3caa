package dev.mjpegrtp.camel.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.mjpegrtp.testing.MjpegHttpViewer;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The protections of an http-mjpeg server against real sockets: connections over maxConnectionsPerAddress are closed
 * as they come, a viewer over maxViewers gets 503, an idle connection and a request that never ends are closed after
 * the connection idle timeout, an oversized header gets 431; a protected path answers 401 without credentials (Basic
 * and Digest, which java.net.http and browsers answer), a client allowedClients refuses gets 403; an address that failed maxAuthenticationFailures times gets 503 with
 * Retry-After on protected paths, right password or not.
 */
class HttpMjpegAccessLimitsTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                getContext().getComponent("http-mjpeg", HttpMjpegComponent.class).setMaxConnectionsPerAddress(4);
                getContext().getComponent("http-mjpeg", HttpMjpegComponent.class).setConnectionIdleTimeout(1000);
                getContext().getComponent("http-mjpeg", HttpMjpegComponent.class).setMaxAuthenticationFailures(3);
                from("direct:open").to(base() + "/open?maxViewers=1");
                from("direct:basic").to(base() + "/basic?username=viewer&password=secret&authMethod=BASIC");
                from("direct:digest").to(base() + "/digest?username=viewer&password=secret");
                from("direct:elsewhere").to(base() + "/elsewhere?allowedClients=10.0.0.0/8");
            }
        };
    }

    private String base() {
        return "http-mjpeg:127.0.0.1:" + httpPort.getPort();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + httpPort.getPort() + path;
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosed() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket("127.0.0.1", httpPort.getPort());
                sockets.add(socket);
            }
            Socket refused = new Socket("127.0.0.1", httpPort.getPort());
            sockets.add(refused);
            assertThat(endOfStream(refused, Duration.ofSeconds(2))).as("the fifth connection is closed").isTrue();
            assertThat(context.getEndpoint(base() + "/open?maxViewers=1", HttpMjpegEndpoint.class)
                    .getConnectionsRefused()).isEqualTo(1);
            // and the four that were let in, idle, are closed after the connection idle timeout (1 s here)
            assertThat(endOfStream(sockets.get(0), Duration.ofSeconds(4))).as("an idle connection is closed").isTrue();
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void requestThatNeverEndsIsClosedAndOversizedHeadersRefused() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", httpPort.getPort())) {
            slow.getOutputStream().write("GET /open.jpg HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(endOfStream(slow, Duration.ofSeconds(4))).as("a request that never ends").isTrue();
        }
        try (Socket big = new Socket("127.0.0.1", httpPort.getPort())) {
            big.getOutputStream().write(("GET /open.jpg HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(big.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 431");
        }
    }

    @Test
    void viewerOverMaxViewersGets503() throws Exception {
        template.sendBody("direct:open", Files.readAllBytes(TestImages.gstJpeg(dir, "bars", "smpte", "I420", 320, 240,
                85)));
        try (MjpegHttpViewer first = new MjpegHttpViewer("127.0.0.1", httpPort.getPort(), "/open.mjpeg");
             MjpegHttpViewer second = new MjpegHttpViewer("127.0.0.1", httpPort.getPort(), "/open.mjpeg")) {
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(first.nextFrame()).isNotEmpty();
            assertThat(second.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
        }
        HttpMjpegEndpoint endpoint = context.getEndpoint(base() + "/open?maxViewers=1", HttpMjpegEndpoint.class);
        assertThat(endpoint.getViewersRejected()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.getViewers() == 0);
    }

    @Test
    void protectedPathsAskForCredentials() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "bars", "smpte", "I420", 320, 240, 85));
        template.sendBody("direct:basic", jpeg);
        template.sendBody("direct:digest", jpeg);
        template.sendBody("direct:elsewhere", jpeg);
        template.sendBody("direct:open", jpeg);
        HttpClient anonymous = HttpClient.newHttpClient();

        HttpResponse<byte[]> noCredentials = anonymous.send(get("/basic.jpg"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(noCredentials.statusCode()).isEqualTo(401);
        assertThat(noCredentials.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic ");
        HttpResponse<byte[]> wrong = anonymous.send(HttpRequest.newBuilder(URI.create(url("/basic.jpg")))
                .header("Authorization", basic("viewer:guess")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> right = anonymous.send(HttpRequest.newBuilder(URI.create(url("/basic.jpg")))
                .header("Authorization", basic("viewer:secret")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo(jpeg);

        HttpMjpegEndpoint endpoint = context.getEndpoint(base() + "/basic?username=viewer&password=secret"
                + "&authMethod=BASIC", HttpMjpegEndpoint.class);
        assertThat(endpoint.getAuthenticationFailures()).isEqualTo(1);

        HttpResponse<byte[]> digestChallenge = anonymous.send(get("/digest.mjpeg"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(digestChallenge.statusCode()).isEqualTo(401);
        assertThat(digestChallenge.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Digest ");

        HttpResponse<byte[]> forbidden = anonymous.send(get("/elsewhere.jpg"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        HttpResponse<String> index = anonymous.send(get("/"), HttpResponse.BodyHandlers.ofString());
        assertThat(index.body()).contains("/open.jpg").doesNotContain("elsewhere");

        // the 403 counted as the second failure; one more wrong guess and even the right password waits a minute
        anonymous.send(HttpRequest.newBuilder(URI.create(url("/basic.jpg"))).header("Authorization",
                basic("viewer:guess2")).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> throttled = anonymous.send(HttpRequest.newBuilder(URI.create(url("/basic.jpg")))
                .header("Authorization", basic("viewer:secret")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(throttled.statusCode()).isEqualTo(503);
        assertThat(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(endpoint.getAuthenticationsThrottled()).isEqualTo(1);
        assertThat(anonymous.send(get("/open.jpg"), HttpResponse.BodyHandlers.ofByteArray()).statusCode())
                .as("an open path is not affected").isEqualTo(200);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).build();
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the server closes the connection within the time, without a byte sent first. */
    private static boolean endOfStream(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a response to a partial or no request would be a failure of its own; the test looks for the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
