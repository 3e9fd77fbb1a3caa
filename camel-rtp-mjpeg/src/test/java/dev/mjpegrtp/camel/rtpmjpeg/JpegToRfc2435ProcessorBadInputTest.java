package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.rtp.mjpeg.UnsupportedJpegException;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.JpegCorpus;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad frames between good ones: each is rejected with a typed exception naming the cause, counted, and nothing of it
 * reaches the wire; the good frames after it go out whole.
 */
class JpegToRfc2435ProcessorBadInputTest extends CamelTestSupport {

    private final int port = LocalPorts.freeRtpPort();
    private final JpegToRfc2435Processor processor = new JpegToRfc2435Processor();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(Rfc2435Exception.class).handled(true).to("mock:rejected");
                from("direct:send").process(processor).to("rtp-mjpeg:127.0.0.1:" + port);
                from("direct:raw").to("rtp-mjpeg:127.0.0.1:" + port);
            }
        };
    }

    @Test
    void badFramesAreRejectedAndTheNextGoodFrameIsSent() throws Exception {
        byte[] good = JavaJpegs.baseline(320, 240);
        List<byte[]> bad = badFrames(good);
        int packetsPerFrame = new Rfc2435Frame(new JpegParser().parse(good), 1400).packetCount();
        MockEndpoint rejected = getMockEndpoint("mock:rejected");
        rejected.expectedMessageCount(bad.size());

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(1000);
            for (byte[] body : bad) {
                template.sendBody("direct:send", body);
                template.sendBody("direct:send", good);
            }
            rejected.assertIsSatisfied(5000);

            int frames = 0;
            int packets = 0;
            byte[] buffer = new byte[2048];
            while (true) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(datagram);
                } catch (SocketTimeoutException e) {
                    break;
                }
                packets++;
                if (new RtpHeader().read(ByteBuffer.wrap(buffer, 0, datagram.getLength())).marker()) {
                    frames++;
                }
            }
            assertThat(frames).isEqualTo(bad.size());
            assertThat(packets).as("only whole good frames on the wire").isEqualTo(bad.size() * packetsPerFrame);
        }

        List<Class<?>> causes = rejected.getReceivedExchanges().stream()
                .<Class<?>>map(e -> e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getClass()).toList();
        assertThat(causes).containsExactly(InvalidJpegException.class, InvalidJpegException.class,
                InvalidJpegException.class, InvalidJpegException.class, InvalidJpegException.class,
                InvalidJpegException.class);
        List<String> messages = rejected.getReceivedExchanges().stream()
                .map(e -> e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()).toList();
        assertThat(messages.get(0)).contains("empty frame");
        assertThat(messages.get(1)).contains("truncated");
        assertThat(messages.get(2)).contains("PNG");
        assertThat(messages.get(3)).contains("no SOI marker");
        assertThat(messages.get(4)).contains("EOI");
        assertThat(messages.get(5)).contains("truncated");
        assertThat(processor.getFramesRejected()).isEqualTo(bad.size());
        assertThat(processor.getFramesProcessed()).isEqualTo(bad.size());
    }

    /** Empty, truncated, PNG, random bytes, SOI+EOI only, truncated progressive: in the order the messages are checked. */
    private static List<byte[]> badFrames(byte[] good) {
        byte[] random = new byte[4000];
        new Random(5).nextBytes(random);
        byte[] progressive = JavaJpegs.progressive(64, 64);
        return List.of(new byte[0], Arrays.copyOf(good, good.length / 2), JavaJpegs.png(32, 32), random,
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                Arrays.copyOf(progressive, progressive.length - 100));
    }

    /**
     * The same bad frames between good ones, with GStreamer receiving: every frame it decodes is the good one, pixel
     * for pixel, so no part of a bad frame reached it and nothing of the good ones was lost around them.
     */
    @Test
    void aGstreamerReceiverDecodesEveryGoodFrameAroundTheBadOnes(@TempDir Path dir) throws Exception {
        Path source = TestImages.gstJpeg(dir, "good", "smpte", "I420", 320, 240, 85);
        byte[] good = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);
        List<byte[]> bad = badFrames(good);
        AtomicInteger sent = new AtomicInteger();
        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), port)) {
            List<byte[]> frames = receiver.awaitFrames(2 * bad.size(), expected.length, Duration.ofSeconds(30), () -> {
                template.sendBody("direct:send", bad.get(sent.getAndIncrement() % bad.size()));
                template.sendBody("direct:send", good);
            });
            for (byte[] decoded : frames) {
                Pixels.assertIdentical(decoded, expected, "frame decoded by GStreamer");
            }
        }
        assertThat(sent.get()).as("every kind of bad frame sent at least twice").isGreaterThanOrEqualTo(2 * bad.size());
        assertThat(processor.getFramesRejected()).isEqualTo(sent.get());
    }

    /** Real encoders' output that RFC 2435 cannot carry without loss: named in the exception, never on the wire. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mjpegrtp.testing.JpegCorpus#notCarried")
    void jpegsThatCannotBeCarriedWithoutLossAreRejected(String name, JpegCorpus.Recipe recipe, String cause,
                                                        @TempDir Path dir) throws Exception {
        byte[] jpeg = Files.readAllBytes(recipe.make(dir));
        MockEndpoint rejected = getMockEndpoint("mock:rejected");
        rejected.expectedMessageCount(1);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(300);
            template.sendBody("direct:send", jpeg);
            rejected.assertIsSatisfied(5000);
            DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
            assertThatThrownBy(() -> socket.receive(datagram)).as("no packet sent")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(rejected.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(UnsupportedJpegException.class).hasMessageContaining(cause);
    }

    @Test
    void producerAloneRejectsARawBodyItCannotCarry() {
        byte[] arithmetic = JavaJpegs.baseline(16, 16);
        arithmetic[JavaJpegs.markerOffset(arithmetic, 0xC0) + 1] = (byte) 0xC9; // SOF9: arithmetic coding
        Exchange result = template.send("direct:raw", e -> e.getIn().setBody(arithmetic));
        // handled by onException: the typed exception is kept as the caught exception
        assertThat(result.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(UnsupportedJpegException.class).hasMessageContaining("arithmetic-coded");
    }
}
