package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import dev.mjpegrtp.testing.FfmpegSdpReceiver;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer's {@code onvifHeaderExtension}: the first packet of each frame carries the frame's SOF in the ONVIF JPEG
 * header extension. Our consumer, told nothing about the size, takes a 3840x2160 frame's from there; GStreamer's
 * rtpjpegdepay and FFmpeg, which do not know the extension, skip it and decode exactly what they decode without it.
 */
class RtpMjpegOnvifHeaderExtensionTest extends CamelTestSupport {

    private static final int MTU = 1400;
    private static final int WIDTH = 3840;
    private static final int HEIGHT = 2160;

    private final int consumerPort = LocalPorts.freeRtpPort();
    private final int gstreamerPort = LocalPorts.freeRtpPort();
    private final int ffmpegPort = LocalPorts.freeRtpPort();
    private final int socketPort = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                String options = "?onvifHeaderExtension=true&mtu=" + MTU;
                from("direct:consumer").process("jpegToRfc2435").to("rtp-mjpeg:127.0.0.1:" + consumerPort + options);
                from("direct:gstreamer").process("jpegToRfc2435").to("rtp-mjpeg:127.0.0.1:" + gstreamerPort + options);
                from("direct:ffmpeg").to("rtp-mjpeg:127.0.0.1:" + ffmpegPort + options
                        + "&sdpFile=" + dir.resolve("stream.sdp"));
                from("direct:socket").to("rtp-mjpeg:127.0.0.1:" + socketPort + options + "&rtcp=false");

                from("rtp-mjpeg:127.0.0.1:" + consumerPort).to("mock:frames");
            }
        };
    }

    @Test
    void ourConsumerTakesTheSizeFromTheExtension() throws Exception {
        Path source = TestImages.gstJpeg(dir, "2160p", "smpte", "I420", WIDTH, HEIGHT, 85);
        byte[] expected = TestImages.gstDecodeI420(source);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(2);

        byte[] jpeg = Files.readAllBytes(source);
        for (int i = 0; i < 2; i++) {
            template.sendBody("direct:consumer", jpeg);
        }

        frames.assertIsSatisfied(10_000);
        for (Exchange exchange : frames.getReceivedExchanges()) {
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.WIDTH)).isEqualTo(WIDTH);
            assertThat(exchange.getIn().getHeader(RtpMjpegConstants.HEIGHT)).isEqualTo(HEIGHT);
            Path received = Files.write(dir.resolve("received.jpg"), exchange.getIn().getBody(byte[].class));
            Pixels.assertIdentical(TestImages.gstDecodeI420(received), expected,
                    "frame received by rtp-mjpeg: with no size declared, decoded by jpegdec");
        }
    }

    @Test
    void gstreamerSkipsTheExtensionAndDecodesTheSource() throws Exception {
        Path source = TestImages.gstJpeg(dir, "2160p", "smpte", "I420", WIDTH, HEIGHT, 85);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);

        try (GstRtpJpegReceiver receiver = new GstRtpJpegReceiver(dir.resolve("received"), gstreamerPort,
                ",x-dimensions=(string)\"" + WIDTH + "," + HEIGHT + "\"")) {
            List<byte[]> decoded = receiver.awaitFrames(2, expected.length, Duration.ofSeconds(30),
                    () -> template.sendBody("direct:gstreamer", jpeg));
            for (byte[] frame : decoded) {
                Pixels.assertIdentical(frame, expected, "frame decoded by rtpjpegdepay ! jpegdec");
            }
        }
    }

    /** FFmpeg 5.1 cannot take sizes over 2040 from anywhere, so a 1080p frame: the extension must not disturb it. */
    @Test
    void ffmpegSkipsTheExtensionAndDecodesTheSource() throws Exception {
        Path source = TestImages.gstJpeg(dir, "1080p", "smpte", "I420", 1920, 1080, 85);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.ffmpegDecodeI420(source);

        List<byte[]> frames = FfmpegSdpReceiver.decode(dir.resolve("stream.sdp"), dir, 3, expected.length,
                () -> template.sendBody("direct:ffmpeg", jpeg));
        for (byte[] frame : frames) {
            Pixels.assertIdentical(frame, expected, "frame decoded by FFmpeg");
        }
    }

    /** On the wire: X set on the first packet only, followed by 0xFFD8, 5 words, and the SOF of 3840x2160 4:2:0. */
    @Test
    void theFirstPacketOfEachFrameCarriesTheSof() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "2160p", "smpte", "I420", WIDTH, HEIGHT, 85));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), socketPort))) {
            socket.setReceiveBufferSize(8 * 1024 * 1024);
            socket.setSoTimeout(5000);
            template.sendBody("direct:socket", jpeg);
            template.sendBody("direct:socket", jpeg);

            byte[] buffer = new byte[2048];
            int firstPackets = 0;
            for (int markers = 0; markers < 2; ) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.receive(datagram);
                ByteBuffer packet = ByteBuffer.wrap(buffer, 0, datagram.getLength());
                assertThat(datagram.getLength()).isLessThanOrEqualTo(MTU);
                boolean extension = (buffer[0] & 0x10) != 0;
                int headerLength = 12 + (extension ? 4 + 4 * (packet.getShort(14) & 0xFFFF) : 0);
                int fragmentOffset = packet.getInt(headerLength) & 0xFFFFFF;
                assertThat(extension).as("X bit of the packet at fragment offset " + fragmentOffset)
                        .isEqualTo(fragmentOffset == 0);
                if (extension) {
                    assertThat(HexFormat.of().formatHex(buffer, 12, headerLength))
                            .isEqualTo("ffd80005" + "ffc0001108" + "0870" + "0f00" + "03012200021101031101" + "ff");
                    assertThat(packet.get(headerLength + 6)).as("RFC 2435 width field").isZero();
                    firstPackets++;
                }
                if ((buffer[1] & 0x80) != 0) {
                    markers++;
                }
            }
            assertThat(firstPackets).isEqualTo(2);
        }
    }
}
