package dev.mjpegrtp.camel.rtsp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.RtpPacket;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rtpPort option: UDP viewers of every path of the server get RTP from exactly that port and RTCP from the one
 * above, which SETUP announces as server_port, so a firewall can open those two by number. A pair another process
 * holds, or paths of one server asking for different pairs, fail the start with the option named.
 */
class RtspMjpegFixedRtpPortTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();
    private final int serverRtpPort = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to(uri("a", serverRtpPort));
                from("direct:b").to(uri("b", serverRtpPort));
            }
        };
    }

    private String uri(String path, int rtpPort) {
        return "rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/" + path + "?rtpPort=" + rtpPort;
    }

    @Test
    void udpViewersOfEveryPathGetRtpAndRtcpFromTheConfiguredPair() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "ball", 320, 240, 10);
        try (FrameFeed a = FrameFeed.start(template, "direct:a", frames, 30);
             FrameFeed b = FrameFeed.start(template, "direct:b", frames, 30)) {
            for (String path : List.of("a", "b")) {
                int clientPort = LocalPorts.freeRtpPort();
                try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), path);
                     DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort));
                     DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort + 1))) {
                    rtp.setSoTimeout(5000);
                    rtcp.setSoTimeout(7000);
                    client.request("DESCRIBE", client.url()).expect(200);
                    RtspTestClient.Response setup = client.request("SETUP", client.trackUrl(),
                            "Transport: RTP/AVP;unicast;client_port=" + clientPort + "-" + (clientPort + 1)).expect(200);
                    assertThat(setup.header("transport"))
                            .contains(";server_port=" + serverRtpPort + "-" + (serverRtpPort + 1) + ";");
                    client.request("PLAY", client.url(), "Session: " + setup.session()).expect(200);

                    byte[] buffer = new byte[2048];
                    DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                    rtp.receive(datagram);
                    assertThat(RtpPacket.parse(buffer, datagram.getLength()).payloadType()).isEqualTo(26);
                    assertThat(datagram.getPort()).as("RTP source port of path " + path).isEqualTo(serverRtpPort);
                    datagram = new DatagramPacket(buffer, buffer.length);
                    rtcp.receive(datagram); // the first sender report comes a second after PLAY
                    assertThat(buffer[1] & 0xFF).as("RTCP packet type").isEqualTo(200);
                    assertThat(datagram.getPort()).as("RTCP source port of path " + path).isEqualTo(serverRtpPort + 1);
                }
            }
        }
    }

    @Test
    void aPathAskingForAnotherPairOfTheSameServerIsRefused() {
        RtspMjpegEndpoint other = context.getEndpoint(uri("c", serverRtpPort + 2), RtspMjpegEndpoint.class);
        assertThatThrownBy(other::openStream).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rtpPort " + serverRtpPort + " for its other paths")
                .hasMessageContaining("got " + (serverRtpPort + 2));
    }

    @Test
    void aPairInUseFailsTheStartNamingIt() throws Exception {
        int taken = LocalPorts.freeRtpPort();
        int otherRtspPort = AvailablePortFinder.getNextAvailable();
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken + 1))) {
            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + otherRtspPort
                    + "/cam?rtpPort=" + taken, RtspMjpegEndpoint.class);
            assertThatThrownBy(endpoint::openStream).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot bind UDP ports " + taken + "-" + (taken + 1) + " (rtpPort)");
            assertThat(endpoint.isListening()).isFalse();
        }
    }
}
