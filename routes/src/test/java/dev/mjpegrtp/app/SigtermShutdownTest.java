package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill PID} (SIGTERM) of a streaming app, as systemd or Kubernetes stop it: the route stops through Camel's
 * shutdown hook, the GStreamer pipeline is stopped, RTCP says BYE for the stream's SSRC and no RTP follows it.
 */
class SigtermShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsThePipelineAndSaysBye() throws Exception {
        int port = LocalPorts.freeRtpPort();
        try (RtpCounter rtp = new RtpCounter(socket(port)); DatagramSocket rtcp = socket(port + 1)) {
            rtp.start();
            Process app = AppProcess.start(dir, "app", "-Ddemo.port=" + port, "-Ddemo.width=320", "-Ddemo.height=240",
                    "-Ddemo.sdpFile=" + dir.resolve("app.sdp"));
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> rtp.frames() >= 30); // the route is running

                app.destroy(); // SIGTERM

                byte[] buffer = new byte[1500];
                ByteBuffer bye;
                do {
                    DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                    rtcp.setSoTimeout(10_000);
                    rtcp.receive(datagram);
                    bye = ByteBuffer.wrap(buffer, 0, datagram.getLength()).slice();
                } while (bye.limit() < 8 || (bye.get(bye.limit() - 7) & 0xFF) != Rtcp.BYE);
                assertThat(bye.getInt(bye.limit() - 4)).as("BYE for the stream's SSRC").isEqualTo(rtp.ssrc());
                assertThat(app.waitFor(20, TimeUnit.SECONDS)).as("the JVM exits after its shutdown hook").isTrue();
                // SIGTERM ends a JVM with 128 + 15 once its shutdown hooks have run
                assertThat(app.exitValue()).isEqualTo(143);

                // The BYE's sender report counts every packet sent: all arrived, none came after it.
                long sentBeforeBye = bye.getInt(20) & 0xFFFF_FFFFL;
                Thread.sleep(500);
                assertThat(rtp.packets()).as("RTP packets received, against the last sender report's count")
                        .isEqualTo(sentBeforeBye);
                String log = Files.readString(dir.resolve("app.log"));
                assertThat(log).contains("Stopped pipeline").doesNotContain("ERROR").doesNotContain("Exception");
            } finally {
                app.destroyForcibly();
            }
        }
    }

    /** Counts the RTP packets and frames that arrive on a socket, and keeps the SSRC. */
    private static final class RtpCounter extends Thread implements AutoCloseable {
        private final DatagramSocket socket;
        private final AtomicLong packets = new AtomicLong();
        private final AtomicLong frames = new AtomicLong();
        private volatile int ssrc;

        RtpCounter(DatagramSocket socket) {
            super("rtp-counter");
            this.socket = socket;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[65536];
            RtpHeader header = new RtpHeader();
            while (!socket.isClosed()) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(datagram);
                } catch (java.io.IOException closed) {
                    return;
                }
                header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
                ssrc = header.ssrc();
                packets.incrementAndGet();
                if (header.marker()) {
                    frames.incrementAndGet();
                }
            }
        }

        long packets() {
            return packets.get();
        }

        long frames() {
            return frames.get();
        }

        int ssrc() {
            return ssrc;
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            join();
        }
    }

    private static DatagramSocket socket(int port) throws java.io.IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setReceiveBufferSize(4 << 20);
        return socket;
    }
}
