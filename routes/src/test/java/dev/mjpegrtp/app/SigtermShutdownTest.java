package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.rtp.mjpeg.RtcpPackets;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.UdpPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill PID} (SIGTERM) of a streaming app, as systemd or Kubernetes stop it: the route stops through Camel's
 * shutdown hook, the GStreamer pipeline is stopped, RTCP says BYE for the stream's SSRC and no RTP follows it.
 */
class SigtermShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsThePipelineAndSaysBye() throws Exception {
        int port = UdpPorts.freeRtpPort();
        try (DatagramSocket rtp = socket(port); DatagramSocket rtcp = socket(port + 1)) {
            Process app = AppProcess.start(dir, "app", "-Ddemo.port=" + port, "-Ddemo.width=320", "-Ddemo.height=240",
                    "-Ddemo.sdpFile=" + dir.resolve("app.sdp"));
            try {
                RtpHeader header = new RtpHeader();
                byte[] buffer = new byte[65536];
                int frames = 0;
                while (frames < 30) { // a second of video: the pipeline and route are running
                    DatagramPacket datagram = receive(rtp, buffer, 60_000);
                    header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
                    frames += header.marker() ? 1 : 0;
                }
                int ssrc = header.ssrc();

                app.destroy(); // SIGTERM

                ByteBuffer bye;
                do {
                    DatagramPacket datagram = receive(rtcp, buffer, 10_000);
                    bye = ByteBuffer.wrap(buffer, 0, datagram.getLength()).slice();
                } while (bye.limit() < 8 || (bye.get(bye.limit() - 7) & 0xFF) != RtcpPackets.BYE);
                assertThat(bye.getInt(bye.limit() - 4)).as("BYE for the stream's SSRC").isEqualTo(ssrc);
                assertThat(app.waitFor(20, TimeUnit.SECONDS)).as("the JVM exits after its shutdown hook").isTrue();
                // SIGTERM ends a JVM with 128 + 15 once its shutdown hooks have run
                assertThat(app.exitValue()).isEqualTo(143);

                rtp.setSoTimeout(500);
                int after = 0;
                try {
                    while (true) {
                        rtp.receive(new DatagramPacket(buffer, buffer.length));
                        after++;
                    }
                } catch (SocketTimeoutException drained) {
                    // nothing more is coming
                }
                assertThat(after).as("RTP packets queued before the BYE, at most one frame's").isLessThanOrEqualTo(4);
                String log = Files.readString(dir.resolve("app.log"));
                assertThat(log).contains("Stopped pipeline").doesNotContain("ERROR").doesNotContain("Exception");
            } finally {
                app.destroyForcibly();
            }
        }
    }

    private static DatagramSocket socket(int port) throws java.io.IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setReceiveBufferSize(4 << 20);
        return socket;
    }

    private static DatagramPacket receive(DatagramSocket socket, byte[] buffer, int timeoutMillis) throws java.io.IOException {
        socket.setSoTimeout(timeoutMillis);
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        socket.receive(datagram);
        return datagram;
    }
}
