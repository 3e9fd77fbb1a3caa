package dev.mjpegrtp.camel.rtsp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.RtpFrameChecker;
import dev.mjpegrtp.testing.RtpPacket;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.TestImages;
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

/**
 * What a viewer joining a running 30 fps stream sees on the wire, read with a plain socket: it starts at a frame
 * boundary with the sequence number and timestamp RTP-Info announced, every packet follows without a gap, PAUSE stops
 * the packets and PLAY resumes them where they left off, and sender reports carry its SSRC.
 */
class RtspMjpegRtpContinuityTest extends CamelTestSupport {

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
                from("direct:live").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/live");
            }
        };
    }

    @BeforeEach
    void startFeed() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "ball", 640, 360, 30);
        feed = FrameFeed.start(template, "direct:live", frames, 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
    }

    @Test
    void tcpViewerSeesContinuousFramesAcrossPauseAndPlay() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "live")) {
            client.request("DESCRIBE", client.url()).expect(200);
            RtspTestClient.Response setup = client.request("SETUP", client.trackUrl(),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").expect(200);
            long ssrc = ssrcOf(setup);
            RtspTestClient.Response play = client.request("PLAY", client.url(), "Session: " + setup.session()).expect(200);
            RtpFrameChecker checker = new RtpFrameChecker(ssrc, play.rtpInfoSequence());
            boolean[] senderReport = new boolean[1];
            RtpPacket first = readFrames(client, checker, 45, ssrc, senderReport);
            assertThat(first.timestamp()).as("first timestamp = RTP-Info rtptime").isEqualTo(play.rtpInfoTimestamp());
            assertThat(senderReport[0]).as("an RTCP sender report within 1.5 s").isTrue();

            RtspTestClient.Response pause = client.request("PAUSE", client.url(), "Session: " + setup.session());
            pause.expect(200);
            // packets sent before the PAUSE response arrived ahead of it; they belong to the stream too
            RtspTestClient.Interleaved early;
            while ((early = pendingRtp(client)) != null) {
                checker.accept(RtpPacket.parse(early.data()));
            }
            long lastTimestamp = checker.lastTimestamp();
            Thread.sleep(300); // ten frame intervals of the running route while paused
            client.socket().setSoTimeout(200);
            assertThat(rtpAfterPause(client)).as("RTP packets after PAUSE").isZero();
            client.socket().setSoTimeout(10_000);

            RtspTestClient.Response resume = client.request("PLAY", client.url(), "Session: " + setup.session());
            resume.expect(200);
            assertThat(resume.rtpInfoSequence()).as("seq after PAUSE/PLAY").isEqualTo(checker.nextSequence());
            assertThat(resume.rtpInfoTimestamp() - lastTimestamp).as("timestamp moves on over the pause")
                    .isGreaterThanOrEqualTo(9 * 3000L);
            RtpPacket resumed = readFrames(client, checker, 15, ssrc, senderReport);
            assertThat(resumed.timestamp()).isEqualTo(resume.rtpInfoTimestamp());
            assertThat(checker.frames()).isGreaterThanOrEqualTo(60);
            client.request("TEARDOWN", client.url(), "Session: " + setup.session()).expect(200);
        }
    }

    @Test
    void udpViewersGetTheirOwnSsrcAndContinuousFrames() throws Exception {
        try (Viewer one = new Viewer(); Viewer two = new Viewer()) {
            one.play();
            two.play();
            assertThat(one.ssrc).isNotEqualTo(two.ssrc);
            RtpPacket first = one.readFrames(30);
            assertThat(first.timestamp()).isEqualTo(one.play.rtpInfoTimestamp());
            two.readFrames(30);
            assertThat(one.awaitSenderReport()).as("sender report on the RTCP port from server_port + 1").isTrue();
            one.client.request("TEARDOWN", one.client.url(), "Session: " + one.setup.session()).expect(200);
            two.readFrames(15); // the other viewer goes on regardless
        }
    }

    /** Reads packets until {@code frames} more frames passed the checker; returns the first RTP packet read. */
    private static RtpPacket readFrames(RtspTestClient client, RtpFrameChecker checker, int frames, long ssrc,
                                        boolean[] senderReport) throws Exception {
        int target = checker.frames() + frames;
        RtpPacket first = null;
        while (checker.frames() < target) {
            RtspTestClient.Interleaved packet = client.readInterleaved();
            if (packet.channel() == 1) {
                senderReport[0] |= isSenderReportOf(packet.data(), ssrc);
                continue;
            }
            assertThat(packet.channel()).as("RTP channel").isZero();
            RtpPacket rtp = RtpPacket.parse(packet.data());
            checker.accept(rtp);
            if (first == null) {
                first = rtp;
            }
        }
        return first;
    }

    private static RtspTestClient.Interleaved pendingRtp(RtspTestClient client) throws Exception {
        client.socket().setSoTimeout(1);
        try {
            RtspTestClient.Interleaved packet = client.readInterleaved();
            return packet.channel() == 0 ? packet : pendingRtp(client);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            client.socket().setSoTimeout(10_000);
        }
    }

    private static int rtpAfterPause(RtspTestClient client) throws Exception {
        int rtp = 0;
        try {
            while (true) {
                if (client.readInterleaved().channel() == 0) {
                    rtp++;
                }
            }
        } catch (SocketTimeoutException e) {
            return rtp;
        }
    }

    static boolean isSenderReportOf(byte[] rtcp, long ssrc) {
        ByteBuffer buffer = ByteBuffer.wrap(rtcp);
        return rtcp.length >= 28 && (buffer.get(0) & 0xC0) == 0x80 && (buffer.get(1) & 0xFF) == 200
                && (buffer.getInt(4) & 0xFFFFFFFFL) == ssrc;
    }

    static long ssrcOf(RtspTestClient.Response setup) {
        String transport = setup.header("transport");
        return Long.parseLong(transport.substring(transport.indexOf("ssrc=") + 5), 16);
    }

    /** A viewer over UDP: an RTSP connection and an RTP/RTCP socket pair. */
    private final class Viewer implements AutoCloseable {
        final RtspTestClient client;
        final DatagramSocket rtp;
        final DatagramSocket rtcp;
        RtspTestClient.Response setup;
        RtspTestClient.Response play;
        long ssrc;
        RtpFrameChecker checker;

        Viewer() throws Exception {
            int port = LocalPorts.freeRtpPort();
            rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
            rtp.setReceiveBufferSize(4 * 1024 * 1024);
            rtp.setSoTimeout(5000);
            rtcp.setSoTimeout(7000);
            client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "live");
        }

        void play() throws Exception {
            client.request("DESCRIBE", client.url()).expect(200);
            int port = rtp.getLocalPort();
            setup = client.request("SETUP", client.trackUrl(),
                    "Transport: RTP/AVP;unicast;client_port=" + port + "-" + (port + 1)).expect(200);
            assertThat(setup.header("transport")).contains("server_port=");
            ssrc = ssrcOf(setup);
            play = client.request("PLAY", client.url(), "Session: " + setup.session()).expect(200);
            checker = new RtpFrameChecker(ssrc, play.rtpInfoSequence());
        }

        RtpPacket readFrames(int frames) throws Exception {
            int target = checker.frames() + frames;
            byte[] buffer = new byte[2048];
            RtpPacket first = null;
            while (checker.frames() < target) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                rtp.receive(datagram);
                RtpPacket packet = RtpPacket.parse(buffer, datagram.getLength());
                checker.accept(packet);
                if (first == null) {
                    first = packet;
                }
            }
            return first;
        }

        boolean awaitSenderReport() throws Exception {
            byte[] buffer = new byte[2048];
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            rtcp.receive(datagram);
            return isSenderReportOf(java.util.Arrays.copyOf(buffer, datagram.getLength()), ssrc);
        }

        @Override
        public void close() throws Exception {
            client.close();
            rtp.close();
            rtcp.close();
        }
    }
}
