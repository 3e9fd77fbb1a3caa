package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real JVMs of the app share a file-lock cluster (camel.cluster.file.*) under Camel's plain ClusteredRoutePolicy
 * ({@code mjpegrtp.cluster.balanced=false}; the balanced default: {@link BalancedClusterTest}): exactly one streams the
 * demo at a time;
 * after kill -9 of the leader another streams within 6 s, after SIGTERM within 3 s, each as a new RTP stream (new SSRC),
 * and packets of two SSRCs never interleave.
 */
class ClusterFailoverTest {

    @TempDir
    Path dir;

    @Test
    void oneSenderAtATimeAndFailover() throws Exception {
        int port = LocalPorts.freeRtpPort();
        Path cluster = dir.resolve("cluster");
        try (PacketLog packets = new PacketLog(port)) {
            packets.start();
            Process first = instance(cluster, port, "first");
            await().atMost(30, TimeUnit.SECONDS).until(() -> packets.ssrcs().size() == 1);
            Process second = instance(cluster, port, "second");
            Process third = instance(cluster, port, "third");
            awaitClusterMember("second");
            awaitClusterMember("third");
            Thread.sleep(3000); // three heartbeat timeouts: the followers stay followers
            assertThat(packets.ssrcs()).as("one sender while three instances run").hasSize(1);

            long killed = System.nanoTime();
            first.destroyForcibly(); // SIGKILL: no goodbye, the lock's heartbeat runs out
            await().atMost(15, TimeUnit.SECONDS).until(() -> packets.ssrcs().size() == 2);
            double afterKill = (packets.firstPacketOf(packets.ssrcs().get(1)) - killed) / 1e9;
            assertThat(afterKill).as("seconds from kill -9 to the new leader's first packet").isLessThanOrEqualTo(6.0);

            Process leader = packets.sentBy(second, third);
            Process follower = leader == second ? third : second;
            long terminated = System.nanoTime();
            leader.destroy(); // SIGTERM: graceful stop, RTCP BYE, lock released
            await().atMost(15, TimeUnit.SECONDS).until(() -> packets.ssrcs().size() == 3);
            double afterTerm = (packets.firstPacketOf(packets.ssrcs().get(2)) - terminated) / 1e9;
            assertThat(afterTerm).as("seconds from SIGTERM to the new leader's first packet").isLessThanOrEqualTo(3.0);

            assertThat(packets.interleavings()).as("packets of two senders interleaved").isZero();
            System.out.printf("Failover: %.2f s after kill -9, %.2f s after SIGTERM%n", afterKill, afterTerm);
            follower.destroy();
            for (Process p : List.of(first, second, third)) {
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until an instance has started its CamelContext and joined the cluster. */
    private void awaitClusterMember(String name) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            String log = java.nio.file.Files.readString(dir.resolve(name + ".log"));
            return log.contains("cluster leadership acquisition") && log.contains(") started in ");
        });
    }

    private Process instance(Path cluster, int port, String name) throws java.io.IOException {
        Process process = AppProcess.start(dir, name,
                "-Dcamel.cluster.file.enabled=true", "-Dcamel.cluster.file.id=" + name, "-Dmjpegrtp.cluster.balanced=false",
                "-Dcamel.cluster.file.root=" + cluster,
                "-Dcamel.cluster.file.acquireLockInterval=1", "-Dcamel.cluster.file.heartbeatTimeoutMultiplier=3",
                "-Ddemo.port=" + port, "-Ddemo.width=320", "-Ddemo.height=240",
                "-Ddemo.sdpFile=" + dir.resolve(name + ".sdp"));
        processes.add(process);
        return process;
    }

    private final List<Process> processes = new ArrayList<>();

    /** Every RTP packet on the port: arrival time and SSRC. */
    private final class PacketLog extends Thread implements AutoCloseable {
        private final DatagramSocket socket;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Integer> ssrcs = new ArrayList<>();
        private final List<Long> firstPacket = new ArrayList<>();
        private int current;
        private int interleavings;

        PacketLog(int port) throws java.io.IOException {
            super("packet-log");
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(100);
            socket.setReceiveBufferSize(4 << 20);
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
                int ssrc = header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength())).ssrc();
                synchronized (this) {
                    if (!ssrcs.contains(ssrc)) {
                        ssrcs.add(ssrc);
                        firstPacket.add(System.nanoTime());
                    } else if (ssrc != current) {
                        interleavings++; // an earlier sender is sending again after a newer one started
                    }
                    current = ssrc;
                }
            }
        }

        synchronized List<Integer> ssrcs() {
            return new ArrayList<>(ssrcs);
        }

        synchronized long firstPacketOf(int ssrc) {
            return firstPacket.get(ssrcs.indexOf(ssrc));
        }

        synchronized int interleavings() {
            return interleavings;
        }

        /** Which of two instances is the one streaming now: the one whose SSRC is in its SDP file. */
        Process sentBy(Process a, Process b) throws java.io.IOException {
            String ssrc = Integer.toUnsignedString(current);
            String sdpOfA = java.nio.file.Files.readString(dir.resolve(a == processes.get(1) ? "second.sdp" : "third.sdp"));
            return sdpOfA.contains("o=- " + ssrc + " ") ? a : b;
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            running.set(false);
            join();
            socket.close();
        }
    }
}
