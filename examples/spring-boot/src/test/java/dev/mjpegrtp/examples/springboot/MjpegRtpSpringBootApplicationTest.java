package dev.mjpegrtp.examples.springboot;

import java.io.ByteArrayInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegComponent;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import org.junit.jupiter.api.AfterAll;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The Spring Boot application context as {@code java -jar} starts it, at 640x360: a plain UDP receiver reassembles
 * the RTP/JPEG it sends into complete frames that decode to the configured size, and the latest frame over HTTP
 * decodes to that size too; Boot's {@code /actuator/prometheus}, on its own web server, holds the components' meters
 * and they move with the frames.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MjpegRtpSpringBootApplicationTest {

    private static final DatagramSocket RECEIVER = bind();
    private static final Path SDP = tempSdp();
    private static final int HTTP_PORT = freeTcpPort();

    @LocalServerPort
    int serverPort;

    @DynamicPropertySource
    static void stream(DynamicPropertyRegistry registry) {
        registry.add("demo.port", () -> RECEIVER.getLocalPort());
        registry.add("demo.width", () -> 640);
        registry.add("demo.height", () -> 360);
        registry.add("demo.sdp-file", SDP::toString);
        registry.add("demo.http-port", () -> HTTP_PORT);
    }

    @Test
    void completeFramesArrive() throws Exception {
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        RtpHeader header = new RtpHeader();
        List<byte[]> frames = new ArrayList<>();
        byte[] buffer = new byte[65536];
        RECEIVER.setSoTimeout(10_000);
        while (frames.size() < 10) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            RECEIVER.receive(datagram);
            ByteBuffer packet = ByteBuffer.wrap(buffer, 0, datagram.getLength());
            header.read(packet);
            byte[] jpeg = depacketizer.push(packet, header.payloadOffset(), header.payloadLength(), header.timestamp(),
                    header.marker());
            if (jpeg != null) {
                frames.add(jpeg);
            }
        }
        var image = ImageIO.read(new ByteArrayInputStream(frames.get(9)));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);
        assertThat(Files.readString(SDP)).contains("m=video " + RECEIVER.getLocalPort() + " RTP/AVP 26");
    }

    @Test
    void latestFrameOverHttp() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/demo.jpg")).build();
        HttpResponse<byte[]> snapshot = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        for (int i = 0; i < 100 && snapshot.statusCode() == 503; i++) { // before the first frame
            Thread.sleep(100);
            snapshot = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(snapshot.statusCode()).isEqualTo(200);
        var image = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);
    }

    @Test
    void streamMetersAtActuatorPrometheus() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build();
        String[] rtp = { "stream", "rtp://127.0.0.1:" + RECEIVER.getLocalPort(), "transport", "rtp" };
        String[] http = { "stream", "http://127.0.0.1:" + HTTP_PORT + "/demo", "transport", "http" };
        String[] demo = { "component", "gstreamer", "route", "demo" };
        // The window starts once 2 s of frames went out, not with the first: a busy machine's start-up is not the rate.
        await().atMost(30, TimeUnit.SECONDS).until(() -> new PrometheusSamples(client.send(request,
                HttpResponse.BodyHandlers.ofString()).body()).value("mjpegrtp_frames_sent_total", rtp) >= 60);

        HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
        long firstAt = System.nanoTime();
        Thread.sleep(1500);
        HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - firstAt) / 1e9;

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        PrometheusSamples before = new PrometheusSamples(first.body());
        PrometheusSamples after = new PrometheusSamples(second.body());

        // What is sent over RTP, by stream and transport: frames, packets and bytes move at the configured rate.
        double framesSent = after.value("mjpegrtp_frames_sent_total", rtp);
        assertThat((framesSent - before.value("mjpegrtp_frames_sent_total", rtp)) / seconds)
                .as("RTP frames sent per second between the scrapes").isCloseTo(30, within(5.0));
        assertThat(after.value("mjpegrtp_packets_sent_total", rtp))
                .isGreaterThan(before.value("mjpegrtp_packets_sent_total", rtp)).isGreaterThanOrEqualTo(framesSent);
        assertThat(after.value("mjpegrtp_bytes_sent_total", rtp))
                .isGreaterThan(before.value("mjpegrtp_bytes_sent_total", rtp));
        assertThat(after.value("mjpegrtp_frames_rejected_total", rtp)).isZero();
        assertThat(after.value("mjpegrtp_stream_fps", rtp)).isCloseTo(30, within(5.0));
        // The http-mjpeg: path, which no one watches here.
        assertThat(after.value("mjpegrtp_viewers", http)).isZero();
        assertThat(after.value("mjpegrtp_frames_rejected_total", http)).isZero();

        // What the gstreamer consumer delivers, by route.
        assertThat(after.value("mjpegrtp_consumer_frames_total", demo))
                .isGreaterThan(before.value("mjpegrtp_consumer_frames_total", demo));
        assertThat(after.value("mjpegrtp_consumer_fps", demo)).isCloseTo(30, within(5.0));
        assertThat(after.value("mjpegrtp_consumer_frames_failed_total", demo)).isZero();
        assertThat(after.value("mjpegrtp_pipeline_restarts_total", demo)).isZero();
        double p50 = after.value("mjpegrtp_route_time_seconds", "component", "gstreamer", "quantile", "0.5",
                "route", "demo");
        assertThat(p50).isPositive()
                .isLessThanOrEqualTo(after.value("mjpegrtp_route_time_seconds", "component", "gstreamer",
                        "quantile", "0.99", "route", "demo"));

        // Boot's own meters beside them.
        assertThat(after.value("jvm_threads_live_threads")).isPositive();
    }

    @Test
    void componentOptionsBindFromApplicationProperties(@Autowired CamelContext camelContext) {
        RtpMjpegComponent component = camelContext.getComponent("rtp-mjpeg", RtpMjpegComponent.class);
        assertThat(component.getIoThreads()).isEqualTo(2);
        assertThat(component.getConfiguration().getPacing()).isEqualTo(0.25);
    }

    @AfterAll
    static void close() {
        RECEIVER.close();
    }

    private static DatagramSocket bind() {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setReceiveBufferSize(4 << 20);
            return socket;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path tempSdp() {
        try {
            return Files.createTempDirectory("spring-boot-demo").resolve("stream.sdp");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
