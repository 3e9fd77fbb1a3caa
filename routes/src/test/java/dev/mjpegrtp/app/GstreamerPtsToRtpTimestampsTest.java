package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.RtpPacket;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route from gstreamer: to rtp-mjpeg: with no option carries the frames' presentation times into their RTP
 * timestamps: the consumer's header is the one the producer reads by default. The source is not live, so frames
 * reach the producer as fast as the pipeline makes them; timestamps taken from their arrival would lie far closer
 * together than the 3000 ticks (90 kHz at 30 fps) their presentation times are apart.
 */
class GstreamerPtsToRtpTimestampsTest {

    private static final int FRAMES = 30;
    private static final long TICKS_PER_FRAME = 90_000 / 30;

    @Test
    void rtpTimestampsFollowTheGstreamerPresentationTimes() throws Exception {
        int port = LocalPorts.freeRtpPort();
        List<Long> frameTimestamps = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
             CamelContext camel = new DefaultCamelContext()) {
            socket.setSoTimeout(10_000);
            socket.setReceiveBufferSize(4 << 20);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("gstreamer:still?drop=false&maxBuffers=" + FRAMES + "&pipeline=RAW(videotestsrc num-buffers="
                            + FRAMES + " ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                            .to("rtp-mjpeg:127.0.0.1:" + port);
                }
            });
            camel.start();
            byte[] buffer = new byte[2048];
            while (frameTimestamps.size() < FRAMES) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.receive(datagram);
                RtpPacket packet = RtpPacket.parse(buffer, datagram.getLength());
                if (packet.marker()) {
                    frameTimestamps.add(packet.timestamp());
                }
            }
        }

        for (int i = 1; i < FRAMES; i++) {
            // 33 333 333 or 33 333 334 ns a frame, each time rounded down to whole ticks: 3000 apart, give or take one.
            assertThat(frameTimestamps.get(i) - frameTimestamps.get(i - 1)).as("ticks between frames %d and %d", i - 1, i)
                    .isBetween(TICKS_PER_FRAME - 1, TICKS_PER_FRAME + 1);
        }
    }
}
