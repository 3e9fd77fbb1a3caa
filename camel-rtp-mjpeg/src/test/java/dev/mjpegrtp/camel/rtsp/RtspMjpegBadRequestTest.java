package dev.mjpegrtp.camel.rtsp;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Input the server must survive: malformed or oversized requests get 400, 413 or 505 and the connection is closed, a
 * request trickled byte by byte is cut off after the request timeout, a flood of requests after the rate limit;
 * requests that are well formed but wrong get their RTSP status and the connection stays. After each case a normal
 * viewer still plays.
 */
class RtspMjpegBadRequestTest extends CamelTestSupport {

    private static final int MAX_REQUESTS_PER_SECOND = 20;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                RtspMjpegComponent component = getContext().getComponent("rtsp-mjpeg", RtspMjpegComponent.class);
                component.setRequestTimeout(1000);
                component.setMaxRequestsPerSecond(MAX_REQUESTS_PER_SECOND);
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam");
            }
        };
    }

    static Stream<Arguments> closingRequests() {
        String longUrl = "rtsp://127.0.0.1/" + "a".repeat(5000);
        return Stream.of(
                arguments("not a request line", "HELLO\r\n\r\n", 400),
                arguments("binary garbage", new String(randomBytes(), StandardCharsets.ISO_8859_1) + "\r\n\r\n", 400),
                arguments("no CSeq", "OPTIONS * RTSP/1.0\r\n\r\n", 400),
                arguments("CSeq of 7.6 KB", "OPTIONS * RTSP/1.0\r\nCSeq: " + "7".repeat(7600) + "\r\n\r\n", 400),
                arguments("CSeq not a number", "OPTIONS * RTSP/1.0\r\nCSeq: 1 or 2\r\n\r\n", 400),
                arguments("header line without a colon", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nno colon here\r\n\r\n", 400),
                arguments("HTTP instead of RTSP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 505),
                arguments("RTSP 2.0", "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n", 505),
                arguments("request line over 4 KiB", "DESCRIBE " + longUrl + " RTSP/1.0\r\nCSeq: 1\r\n\r\n", 413),
                arguments("headers over 8 KiB", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Padding: " + "b".repeat(9000)
                        + "\r\n\r\n", 413),
                arguments("body over 4 KiB", "GET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 100000\r\n\r\n", 413));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("closingRequests")
    void malformedOrOversizedRequestIsRefusedAndTheConnectionClosed(String name, String request, int status)
            throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send(request.getBytes(StandardCharsets.ISO_8859_1));
            RtspTestClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("cseq")).as("CSeq echoed").isIn(null, "1");
            assertThat(client.closedByServer(Duration.ofSeconds(2))).as("connection closed").isTrue();
        }
    }

    static Stream<Arguments> wrongRequests() {
        return Stream.of(
                arguments("DESCRIBE of an unknown path", "DESCRIBE rtsp://127.0.0.1/nowhere RTSP/1.0", "", 404),
                arguments("SETUP of an unknown path", "SETUP rtsp://127.0.0.1/nowhere/trackID=0 RTSP/1.0",
                        "Transport: RTP/AVP/TCP;interleaved=0-1\r\n", 404),
                arguments("multicast", "SETUP rtsp://127.0.0.1/cam/trackID=0 RTSP/1.0",
                        "Transport: RTP/AVP;multicast;client_port=5000-5001\r\n", 461),
                arguments("RECORD mode", "SETUP rtsp://127.0.0.1/cam/trackID=0 RTSP/1.0",
                        "Transport: RTP/AVP/TCP;interleaved=0-1;mode=record\r\n", 461),
                arguments("no Transport", "SETUP rtsp://127.0.0.1/cam/trackID=0 RTSP/1.0", "", 461),
                arguments("unknown session", "PLAY rtsp://127.0.0.1/cam RTSP/1.0", "Session: 0123456789ABCDEF\r\n", 454),
                arguments("PLAY without a session", "PLAY rtsp://127.0.0.1/cam RTSP/1.0", "", 454),
                arguments("RECORD", "RECORD rtsp://127.0.0.1/cam RTSP/1.0", "", 501),
                arguments("Require", "OPTIONS * RTSP/1.0", "Require: com.example.feature\r\n", 551));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("wrongRequests")
    void wrongRequestGetsItsStatusAndTheConnectionStays(String name, String requestLine, String headers, int status)
            throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send(requestLine + "\r\nCSeq: 7\r\n" + headers + "\r\n");
            RtspTestClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("cseq")).isEqualTo("7");
            client.request("OPTIONS", "*").expect(200);
        }
    }

    @Test
    void requestTrickledSlowerThanTheRequestTimeoutIsCutOff() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n");
            long start = System.nanoTime();
            for (int i = 0; i < 30 && !client.socket().isClosed(); i++) {
                try {
                    client.send("X-Slow-" + i + ": y\r\n"); // a header line every 100 ms, never the blank line
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (client.socket().getInputStream().available() > 0) {
                    break;
                }
            }
            assertThat(client.readResponse().status()).isEqualTo(408);
            assertThat(client.closedByServer(Duration.ofSeconds(1))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void requestFloodIsCutOffAtTheRateLimit() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            StringBuilder flood = new StringBuilder();
            for (int i = 1; i <= 2 * MAX_REQUESTS_PER_SECOND; i++) {
                flood.append("OPTIONS * RTSP/1.0\r\nCSeq: ").append(i).append("\r\n\r\n");
            }
            client.send(flood.toString());
            for (int i = 1; i <= MAX_REQUESTS_PER_SECOND; i++) {
                assertThat(client.readResponse().status()).as("request %d", i).isEqualTo(200);
            }
            assertThat(client.readResponse().status()).isEqualTo(503);
            assertThatThrownBy(client::readResponse).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void interleavedPacketsFromTheClientAreTakenAndIgnored() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send(new byte[] {'$', 5, 0, 3, 1, 2, 3});
            client.send(new byte[] {'$', 0, 0, 0});
            client.request("OPTIONS", "*").expect(200);
        }
    }

    @Test
    void anInterleavedPacketDeclaredLongerThanRtcpIsRefusedBeforeItArrives() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send(new byte[] {'$', 1, (byte) 0xFF, (byte) 0xFF, 1, 2, 3}); // 65535 bytes announced, 3 sent
            assertThat(client.readResponse().status()).isEqualTo(413);
            assertThat(client.closedByServer(Duration.ofSeconds(1))).isTrue();
        }
    }

    @AfterEach
    void serverStillServes() throws Exception {
        try (FrameFeed feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(64, 48)), 30);
             RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.playInterleaved();
            assertThat(client.readInterleaved().channel()).isZero();
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[300];
        new Random(42).nextBytes(bytes);
        bytes[0] = 1; // not a '$', not a line break
        return bytes;
    }
}
