package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RTCP on port+1, read with a raw socket: sender reports with the stream's counts and clock, then BYE on stop. */
class RtpMjpegProducerRtcpTest extends CamelTestSupport {

    private static final long SSRC = 3_000_000_001L;

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send")
                        .to("rtp-mjpeg:127.0.0.1:" + port + "?rtcpInterval=300&ssrc=" + SSRC);
            }
        };
    }

    @Test
    void senderReportsThenBye() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(160, 120);
        Rfc2435Frame frame = new Rfc2435Frame(new JpegParser().parse(jpeg), 1400);
        try (DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1))) {
            rtcp.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                template.sendBody("direct:send", jpeg);
            }
            // Reports come every 300 ms: the first may predate the last frame; the counts must catch up.
            ByteBuffer report = receive(rtcp);
            for (int i = 0; i < 20 && report.getInt(20) < 3 * frame.packetCount(); i++) {
                report = receive(rtcp);
            }
            // SR: V=2, RC=0, PT=200, length 6 words
            assertThat(report.get(0) & 0xFF).isEqualTo(0x80);
            assertThat(report.get(1) & 0xFF).isEqualTo(Rtcp.SENDER_REPORT);
            assertThat(report.getShort(2)).isEqualTo((short) 6);
            assertThat(Integer.toUnsignedLong(report.getInt(4))).isEqualTo(SSRC);
            long ntpSeconds = report.getInt(8) & 0xFFFF_FFFFL;
            assertThat(ntpSeconds - 2_208_988_800L).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
            assertThat(report.getInt(20)).as("packet count").isEqualTo(3 * frame.packetCount());
            assertThat(report.getInt(24)).as("payload octet count").isEqualTo(3 * frame.totalPayloadLength());
            // SDES with the CNAME follows in the same compound packet
            assertThat(report.get(29) & 0xFF).isEqualTo(Rtcp.SOURCE_DESCRIPTION);
            int cnameLength = report.get(37) & 0xFF;
            assertThat(new String(report.array(), 38, cnameLength, StandardCharsets.UTF_8)).startsWith("mjpeg-rtp@");

            context.getRouteController().stopRoute("send");
            ByteBuffer bye;
            do {
                bye = receive(rtcp);
            } while (bye.limit() < 28 + 8 || (bye.get(bye.limit() - 7) & 0xFF) != Rtcp.BYE);
            assertThat(Integer.toUnsignedLong(bye.getInt(bye.limit() - 4))).isEqualTo(SSRC);
        }
    }

    private static ByteBuffer receive(DatagramSocket socket) throws java.io.IOException {
        byte[] buffer = new byte[1500];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        socket.receive(datagram);
        return ByteBuffer.wrap(buffer, 0, datagram.getLength()).slice();
    }
}
