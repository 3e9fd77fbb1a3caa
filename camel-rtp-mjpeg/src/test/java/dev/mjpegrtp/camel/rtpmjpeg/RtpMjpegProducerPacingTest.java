package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pacing=0.5 at 30 fps spreads a frame's packets over about 16.7 ms. Scheduled batches never fire early, so the
 * lower bound on the spread holds on a busy machine too.
 */
class RtpMjpegProducerPacingTest extends CamelTestSupport {

    private static final long FRAME_INTERVAL_NANOS = 33_333_333L;

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:127.0.0.1:" + port + "?mtu=400&pacing=0.5&rtcp=false");
            }
        };
    }

    @Test
    void packetsOfAFrameAreSpreadOverHalfTheFrameInterval() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(640, 480);
        int packets = new Rfc2435Frame(new JpegParser().parse(jpeg), 400).packetCount();
        assertThat(packets).isGreaterThan(40);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(5000);
            socket.setReceiveBufferSize(4 << 20);
            // Two frames one interval apart teach the producer the frame rate; the third is measured. They are sent
            // from another thread so that this one timestamps the packets as they arrive.
            var sending = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int frame = 0; frame < 3; frame++) {
                    template.sendBodyAndHeader("direct:send", jpeg, RtpMjpegConstants.PTS, frame * FRAME_INTERVAL_NANOS);
                }
            });
            byte[] buffer = new byte[2048];
            long firstOfLastFrame = 0;
            long lastOfLastFrame = 0;
            for (int i = 0; i < 3 * packets; i++) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.receive(datagram);
                long now = System.nanoTime();
                if (i == 2 * packets) {
                    firstOfLastFrame = now;
                }
                if (i == 3 * packets - 1) {
                    lastOfLastFrame = now;
                    assertThat(new RtpHeader().read(ByteBuffer.wrap(buffer, 0, datagram.getLength())).marker()).isTrue();
                }
            }
            sending.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat((lastOfLastFrame - firstOfLastFrame) / 1e6).as("ms between a frame's first and last packet")
                    .isGreaterThan(12.0);
        }
    }
}
