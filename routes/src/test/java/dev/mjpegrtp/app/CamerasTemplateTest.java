package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mjpegrtp.camel.gstreamer.GstreamerConsumer;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.UdpPorts;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/examples/cameras.yaml, four templated streams, plus a camera that does not exist: the four stream at full
 * rate, each its own RTP stream with its own SDP, and the missing one keeps retrying without stopping the others.
 */
class CamerasTemplateTest {

    private static final int CAMERAS = 4;
    private static final long WINDOW_MILLIS = 3000;

    @TempDir
    Path dir;

    @Test
    void fourIndependentStreamsAtFullRate() throws Exception {
        int[] ports = new int[CAMERAS];
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < CAMERAS; i++) {
            ports[i] = UdpPorts.freeRtpPort();
            properties.put("cameras.port" + (i + 1), String.valueOf(ports[i]));
        }
        properties.put("cameras.port5", String.valueOf(UdpPorts.freeRtpPort()));
        properties.put("cameras.sdpDir", dir.toString());
        properties.put("camel.main.routesIncludePattern",
                "file:" + Path.of("examples/cameras.yaml").toAbsolutePath() + ",classpath:bad-camera.yaml");

        List<FrameCounter> counters = new ArrayList<>();
        try (RunningApp app = new RunningApp(properties)) {
            for (int port : ports) {
                counters.add(new FrameCounter(port));
            }
            counters.forEach(Thread::start);
            Thread.sleep(1000); // warm-up: pipelines reach PLAYING
            counters.forEach(FrameCounter::startWindow);
            Thread.sleep(WINDOW_MILLIS); // the measurement window
            counters.forEach(FrameCounter::endWindow);

            assertThat(app.context().getRouteController().getRouteStatus("missing-camera")).isEqualTo(ServiceStatus.Started);
            GstreamerConsumer missing = (GstreamerConsumer) app.context().getRoute("missing-camera").getConsumer();
            assertThat(missing.getLastError()).contains("no-such-camera");
        } finally {
            for (FrameCounter counter : counters) {
                counter.close();
            }
        }
        Set<Integer> ssrcs = new HashSet<>();
        for (int i = 0; i < CAMERAS; i++) {
            FrameCounter counter = counters.get(i);
            double fps = counter.framesInWindow * 1000.0 / WINDOW_MILLIS;
            assertThat(fps).as("frames per second of camera-%d", i + 1).isGreaterThanOrEqualTo(28.0);
            ssrcs.add(counter.ssrc);
            assertThat(dir.resolve("camera-" + (i + 1) + ".sdp")).exists();
        }
        assertThat(ssrcs).as("one RTP stream per camera").hasSize(CAMERAS);
    }

    /** Counts frames (marker bits) arriving on one port. */
    private static final class FrameCounter extends Thread implements AutoCloseable {
        private final DatagramSocket socket;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile boolean counting;
        private volatile int framesInWindow;
        private volatile int ssrc;

        FrameCounter(int port) throws java.io.IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(100);
        }

        @Override
        public void run() {
            byte[] buffer = new byte[65536];
            RtpHeader header = new RtpHeader();
            while (running.get()) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(datagram);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (java.io.IOException e) {
                    return;
                }
                header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
                ssrc = header.ssrc();
                if (header.marker() && counting) {
                    framesInWindow++;
                }
            }
        }

        void startWindow() {
            counting = true;
        }

        void endWindow() {
            counting = false;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            join();
            socket.close();
        }
    }
}
