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
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegComponent;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import org.junit.jupiter.api.AfterAll;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Boot application context as {@code java -jar} starts it, at 640x360: a plain UDP receiver reassembles
 * the RTP/JPEG it sends into complete frames that decode to the configured size, and the latest frame over HTTP
 * decodes to that size too.
 */
@SpringBootTest
class MjpegRtpSpringBootApplicationTest {

    private static final DatagramSocket RECEIVER = bind();
    private static final Path SDP = tempSdp();
    private static final int HTTP_PORT = freeTcpPort();

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
