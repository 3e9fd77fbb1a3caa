package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
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
 * A packet lost from a frame sent as restart-aligned packets, written with a plain JDK socket: the consumer still
 * emits the frame, decodable, with the lost intervals replaced and counted in a header; the next frame arrives whole.
 */
class RtpMjpegConsumerLostPacketTest extends CamelTestSupport {

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port).to("mock:frames");
            }
        };
    }

    @Test
    void aFrameMissingAPacketComesOutWithItsIntervalsReplaced() throws Exception {
        JpegFrame parsed = new JpegParser().parse(
                Files.readAllBytes(TestImages.cjpeg(dir, "restart", 320, 240, "-restart", "1")));
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 1400);
        int lost = frame.packetCount() / 2;
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(2);

        try (DatagramSocket socket = new DatagramSocket()) {
            int sequence = 0;
            for (int timestamp = 0; timestamp < 6000; timestamp += 3000) {
                for (int i = 0; i < frame.packetCount(); i++) {
                    ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(i));
                    RtpHeader.write(packet, 26, i == frame.packetCount() - 1, sequence++, timestamp, 77);
                    frame.writePayload(i, packet);
                    if (timestamp > 0 || i != lost) {
                        socket.send(new DatagramPacket(packet.array(), packet.position(), InetAddress.getLoopbackAddress(),
                                port));
                    }
                }
            }
        }

        frames.assertIsSatisfied(5000);
        Exchange concealed = frames.getReceivedExchanges().get(0);
        assertThat(concealed.getIn().getHeader(RtpMjpegConstants.INTERVALS_CONCEALED, Integer.class)).isPositive();
        assertThat(concealed.getIn().getHeader(RtpMjpegConstants.FRAMES_LOST)).isEqualTo(0L);
        assertThat(JavaJpegs.decode(concealed.getIn().getBody(byte[].class))).hasSize(320 * 240);
        Exchange whole = frames.getReceivedExchanges().get(1);
        assertThat(whole.getIn().getHeader(RtpMjpegConstants.INTERVALS_CONCEALED)).isEqualTo(0);
    }
}
