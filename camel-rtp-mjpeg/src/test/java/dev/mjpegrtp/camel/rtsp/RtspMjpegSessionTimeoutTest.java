package dev.mjpegrtp.camel.rtsp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions end when their viewer goes silent for the session timeout (2 s here: FFmpeg keeps alive every timeout/2
 * whole seconds, so not less). A viewer that vanishes without TEARDOWN is reaped and told with RTCP BYE; viewers that
 * send GET_PARAMETER or OPTIONS keep-alives, or RTCP receiver reports over UDP or interleaved, stay however long they
 * watch; a viewer's RTCP BYE ends its session at once. RTCP counts only when it is the viewer's: a report about our
 * stream names the viewer's SSRC, and only a BYE for that SSRC ends the session, so datagrams forged from the viewer's
 * address and port (without the SSRCs, which only the viewer sees) end and keep alive nothing. A UDP session whose
 * RTSP connection closed lives on while its viewer's RTCP comes, and ends when it stops.
 */
class RtspMjpegSessionTimeoutTest extends CamelTestSupport {

    private static final long TIMEOUT_MILLIS = 2000;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                getContext().getComponent("rtsp-mjpeg", RtspMjpegComponent.class).setSessionTimeout(TIMEOUT_MILLIS);
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam");
            }
        };
    }

    @BeforeEach
    void startFeed() {
        feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
    }

    private RtspMjpegEndpoint endpoint() {
        return context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam", RtspMjpegEndpoint.class);
    }

    @Test
    void silentUdpViewerIsReapedAndToldBye() throws Exception {
        try (UdpViewer viewer = new UdpViewer()) {
            viewer.play();
            viewer.receiveRtp();
            long silentSince = System.nanoTime();
            assertThat(endpoint().getViewers()).isEqualTo(1);
            assertThat(viewer.awaitBye(Duration.ofSeconds(5))).as("RTCP BYE on the viewer's RTCP port").isTrue();
            long reapedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
            assertThat(reapedAfter).isBetween(TIMEOUT_MILLIS - 200, TIMEOUT_MILLIS + 1500);
            assertThat(endpoint().getViewers()).isZero();
            assertThat(viewer.client.closedByServer(Duration.ofSeconds(2))).as("RTSP connection closed").isTrue();
        }
    }

    @Test
    void viewersSendingKeepAlivesOrReceiverReportsStay() throws Exception {
        try (UdpViewer getParameter = new UdpViewer(); UdpViewer options = new UdpViewer();
             UdpViewer reports = new UdpViewer();
             RtspTestClient interleaved = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            getParameter.play();
            options.play();
            reports.play();
            RtspTestClient.Response tcp = interleaved.playInterleaved();
            long tcpSsrc = RtspMjpegRtpContinuityTest.ssrcOf(tcp.setup());
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * TIMEOUT_MILLIS + 500);
            while (System.nanoTime() < end) {
                getParameter.client.request("GET_PARAMETER", getParameter.client.url(),
                        "Session: " + getParameter.session).expect(200);
                options.client.request("OPTIONS", "*", "Session: " + options.session).expect(200);
                reports.rtcp.send(datagram(receiverReport(reports.ssrc), reports.serverRtcpPort));
                interleaved.send(interleavedRtcp(receiverReport(tcpSsrc)));
                Thread.sleep(TIMEOUT_MILLIS / 3);
            }
            assertThat(endpoint().getViewers()).isEqualTo(4);
            getParameter.receiveRtp();
            options.receiveRtp();
            reports.receiveRtp();
        }
    }

    @Test
    void viewerSayingByeIsEndedAtOnce() throws Exception {
        try (UdpViewer udp = new UdpViewer();
             RtspTestClient interleaved = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            udp.play();
            RtspTestClient.Response tcp = interleaved.playInterleaved();
            assertThat(endpoint().getViewers()).isEqualTo(2);
            // a viewer's first receiver report tells its SSRC, which its BYE then names
            udp.rtcp.send(datagram(receiverReport(udp.ssrc), udp.serverRtcpPort));
            udp.rtcp.send(datagram(bye(), udp.serverRtcpPort));
            await().atMost(Duration.ofMillis(TIMEOUT_MILLIS / 2)).until(() -> endpoint().getViewers() == 1);
            interleaved.send(interleavedRtcp(receiverReport(RtspMjpegRtpContinuityTest.ssrcOf(tcp.setup()))));
            interleaved.send(interleavedRtcp(bye()));
            await().atMost(Duration.ofMillis(TIMEOUT_MILLIS / 2)).until(() -> endpoint().getViewers() == 0);
        }
    }

    @Test
    void udpSessionWhoseConnectionClosedLivesOnlyWhileItsRtcpComes() throws Exception {
        try (UdpViewer viewer = new UdpViewer()) {
            viewer.play();
            viewer.client.close();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * TIMEOUT_MILLIS + 500);
            while (System.nanoTime() < end) {
                viewer.rtcp.send(datagram(receiverReport(viewer.ssrc), viewer.serverRtcpPort));
                Thread.sleep(TIMEOUT_MILLIS / 4);
            }
            assertThat(endpoint().getViewers()).as("kept alive by RTCP alone").isEqualTo(1);
            viewer.receiveRtp();
            long silentSince = System.nanoTime();
            assertThat(viewer.awaitBye(Duration.ofSeconds(5))).as("RTCP BYE once its RTCP stopped").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince))
                    .isBetween(TIMEOUT_MILLIS - 300, TIMEOUT_MILLIS + 1500);
            assertThat(endpoint().getViewers()).isZero();
        }
    }

    @Test
    void forgedRtcpFromTheViewersAddressEndsNothingWhileAViewersOwnReportsCount() throws Exception {
        ExternalTools.Peer ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                "rtsp://127.0.0.1:" + rtspPort.getPort() + "/cam", "udp");
        try (UdpViewer udp = new UdpViewer()) {
            RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            udp.play();
            udp.rtcp.send(datagram(receiverReport(udp.ssrc), udp.serverRtcpPort));
            // From the viewer's own address and port: BYEs for other SSRCs, alone, after an empty report, and after
            // a report about our stream from another SSRC than the viewer's.
            udp.rtcp.send(datagram(byeOnly(0x0BADF00D), udp.serverRtcpPort));
            udp.rtcp.send(datagram(bye(0x0BADF00D), udp.serverRtcpPort));
            udp.rtcp.send(datagram(concat(receiverReport(udp.ssrc, 0x0BADF00D), byeOnly(0x0BADF00D)),
                    udp.serverRtcpPort));
            Thread.sleep(300);
            udp.client.request("GET_PARAMETER", udp.client.url(), "Session: " + udp.session).expect(200);
            udp.receiveRtp();
            int framesBefore = RtspViewers.framesReceived(ffmpeg);
            Thread.sleep(1000);
            assertThat(RtspViewers.framesReceived(ffmpeg)).as("FFmpeg's frames go on").isGreaterThan(framesBefore + 15);
            assertThat(endpoint().getViewers()).isEqualTo(2);

            udp.rtcp.send(datagram(bye(), udp.serverRtcpPort)); // the viewer's own BYE
            await().atMost(Duration.ofMillis(TIMEOUT_MILLIS / 2)).until(() -> endpoint().getViewers() == 1);
            // FFmpeg's receiver reports are its own: they reach its statistics
            await().atMost(Duration.ofSeconds(15)).until(() -> endpoint().viewerStatistics().values().stream()
                    .map(row -> (Integer) ((javax.management.openmbean.CompositeData) row).get("fractionLost"))
                    .anyMatch(lost -> lost >= 0));
        } finally {
            ffmpeg.close();
        }
    }

    @Test
    void reportsFromAnotherSsrcKeepNothingAlive() throws Exception {
        try (UdpViewer udp = new UdpViewer()) {
            udp.play();
            udp.rtcp.send(datagram(receiverReport(udp.ssrc), udp.serverRtcpPort));
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS + 2000);
            while (System.nanoTime() < end && endpoint().getViewers() == 1) {
                udp.rtcp.send(datagram(receiverReport(udp.ssrc, 0x0BADF00D), udp.serverRtcpPort));
                Thread.sleep(TIMEOUT_MILLIS / 4);
            }
            assertThat(endpoint().getViewers()).as("reaped: reports from another SSRC are not the viewer's").isZero();
        }
    }

    /** A receiver report about {@code ssrc}, as a viewer sends every few seconds (RFC 3550 §6.4.2). */
    private static byte[] receiverReport(long ssrc) {
        return receiverReport(ssrc, 0x12345678);
    }

    /** A receiver report from {@code reporter} about {@code ssrc}. */
    private static byte[] receiverReport(long ssrc, int reporter) {
        return ByteBuffer.allocate(32).put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(reporter)
                .putInt((int) ssrc).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).array();
    }

    /** An empty receiver report and a BYE for the viewer's own SSRC, as a viewer that leaves sends them (§6.6). */
    private static byte[] bye() {
        return bye(0x12345678);
    }

    private static byte[] bye(int ssrc) {
        return concat(ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(ssrc).array(),
                byeOnly(ssrc));
    }

    private static byte[] byeOnly(int ssrc) {
        return ByteBuffer.allocate(8).put((byte) 0x81).put((byte) 203).putShort((short) 1).putInt(ssrc).array();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
    }

    private static DatagramPacket datagram(byte[] rtcp, int port) {
        return new DatagramPacket(rtcp, rtcp.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** RTCP on interleaved channel 1, as a TCP viewer sends it. */
    private static byte[] interleavedRtcp(byte[] rtcp) {
        return ByteBuffer.allocate(4 + rtcp.length).put((byte) '$').put((byte) 1).putShort((short) rtcp.length)
                .put(rtcp).array();
    }

    @Test
    void ffmpegKilledWithoutTeardownIsReaped() throws Exception {
        ExternalTools.Peer ffmpeg = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                "rtsp://127.0.0.1:" + rtspPort.getPort() + "/cam", "udp");
        try {
            RtspViewers.awaitFirstFrame(ffmpeg, Duration.ofSeconds(20));
            Thread.sleep(TIMEOUT_MILLIS + 500); // watching longer than the timeout: its RTCP and keep-alives count
            assertThat(endpoint().getViewers()).isEqualTo(1);
            ffmpeg.kill();
            long killed = System.nanoTime();
            await().atMost(Duration.ofMillis(TIMEOUT_MILLIS + 2000)).until(() -> endpoint().getViewers() == 0);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed))
                    .as("reaped after the session timeout, not before").isGreaterThanOrEqualTo(TIMEOUT_MILLIS - 1100);
        } finally {
            ffmpeg.close();
        }
    }

    /** A viewer over UDP whose RTP and RTCP sockets the test reads itself. */
    private final class UdpViewer implements AutoCloseable {
        final RtspTestClient client;
        final DatagramSocket rtp;
        final DatagramSocket rtcp;
        String session;
        long ssrc;
        int serverRtcpPort;

        UdpViewer() throws Exception {
            int port = LocalPorts.freeRtpPort();
            rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
            client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam");
        }

        void play() throws Exception {
            int port = rtp.getLocalPort();
            RtspTestClient.Response setup = client.request("SETUP", client.trackUrl(),
                    "Transport: RTP/AVP;unicast;client_port=" + port + "-" + (port + 1)).expect(200);
            session = setup.session();
            ssrc = RtspMjpegRtpContinuityTest.ssrcOf(setup);
            String transport = setup.header("transport");
            String serverPorts = transport.substring(transport.indexOf("server_port=") + 12).split(";")[0];
            serverRtcpPort = Integer.parseInt(serverPorts.split("-")[1]);
            client.request("PLAY", client.url(), "Session: " + session).expect(200);
        }

        void receiveRtp() throws Exception {
            rtp.setSoTimeout(2000);
            byte[] buffer = new byte[2048];
            rtp.receive(new DatagramPacket(buffer, buffer.length));
        }

        boolean awaitBye(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[2048];
            while (System.nanoTime() < deadline) {
                rtcp.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    rtcp.receive(packet);
                } catch (java.net.SocketTimeoutException e) {
                    return false;
                }
                if (containsBye(buffer, packet.getLength())) {
                    return true;
                }
            }
            return false;
        }

        private boolean containsBye(byte[] compound, int length) {
            ByteBuffer buffer = ByteBuffer.wrap(compound, 0, length);
            for (int offset = 0; offset + 8 <= length; offset += ((buffer.getShort(offset + 2) & 0xFFFF) + 1) * 4) {
                if ((buffer.get(offset + 1) & 0xFF) == 203 && (buffer.getInt(offset + 4) & 0xFFFFFFFFL) == ssrc) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws Exception {
            client.close();
            rtp.close();
            rtcp.close();
        }
    }
}
