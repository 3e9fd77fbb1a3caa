package dev.mjpegrtp.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.mjpegrtp.testing.LocalPorts;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real app instances with the same twelve light cameras (videotestsrc 160x120 at 30 fps, each to its own UDP
 * port, received here), started 6 s apart, on the shared-directory cluster service and on ZooKeeper (a real server in
 * this JVM): 25 s after the last one started (its CamelContext up) each instance streams 4 ± 1 cameras and every
 * camera streams from exactly one; after kill -9 of one, every camera streams again within 6 s, 6 ± 1 on each
 * survivor; 30 s after it is back, 4 ± 1 each again. No stream ever sends after a newer one on its port started, and
 * a hand-over loses at most one second of frames. On ZooKeeper, a lost quorum silences every camera, and they come
 * back balanced with it.
 */
class BalancedClusterTest {

    private static final int CAMERAS = 12;
    private static final List<String> NAMES = List.of("first", "second", "third");

    @TempDir
    Path dir;

    private final Map<String, Process> instances = new LinkedHashMap<>();

    @AfterEach
    void stopInstances() throws InterruptedException {
        for (Process process : instances.values()) {
            process.destroyForcibly();
        }
        for (Process process : instances.values()) {
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void sharedDirectory() throws Exception {
        Path root = dir.resolve("cluster");
        balancesAndFailsOver(name -> new String[] {"-Dcamel.cluster.file.enabled=true", "-Dcamel.cluster.file.id=" + name,
                "-Dcamel.cluster.file.root=" + root, "-Dcamel.cluster.file.acquireLockDelay=100",
                "-Dcamel.cluster.file.acquireLockDelayUnit=MILLISECONDS", "-Dcamel.cluster.file.acquireLockInterval=500",
                "-Dcamel.cluster.file.acquireLockIntervalUnit=MILLISECONDS",
                "-Dcamel.cluster.file.heartbeatTimeoutMultiplier=6"});
    }

    @Test
    void zooKeeper() throws Exception {
        int port = LocalPorts.freeTcpPort();
        // tickTime 500 ms: the server grants sessions from 1 s, so the 3 s asked for here
        InstanceSpec spec = new InstanceSpec(dir.resolve("zookeeper").toFile(), port, -1, -1, true, -1, 500, -1,
                Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
        try (TestingServer zooKeeper = new TestingServer(spec, true)) {
            balancesAndFailsOver(name -> new String[] {"-Dmjpegrtp.cluster.zookeeper.enabled=true",
                    "-Dmjpegrtp.cluster.zookeeper.connectString=" + zooKeeper.getConnectString(),
                    "-Dmjpegrtp.cluster.zookeeper.id=" + name, "-Dmjpegrtp.cluster.zookeeper.sessionTimeout=3000"},
                    log -> cutOffAndBack(zooKeeper, log));
        }
    }

    /**
     * Every instance loses the ZooKeeper quorum: all cameras fall silent before a session could expire (3 s), so no
     * instance sends what another may lead; the quorum back, every camera streams again, each from one instance.
     */
    private void cutOffAndBack(TestingServer zooKeeper, CameraStreamLog log) throws Exception {
        long cut = System.nanoTime();
        zooKeeper.stop();
        await().atMost(3, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                .until(() -> log.live(100).isEmpty());
        System.out.printf("Quorum lost: every camera silent after %.2f s%n", (System.nanoTime() - cut) / 1e9);
        Thread.sleep(5000); // past the sessions' timeout
        assertThat(log.live(1000)).as("cameras sending without a quorum").isEmpty();
        long back = System.nanoTime();
        zooKeeper.restart();
        await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> balanced(log, NAMES, 3, 5));
        System.out.printf("Quorum back: balanced again after %.1f s: %s%n", (System.nanoTime() - back) / 1e9,
                owners(log));
    }

    private void balancesAndFailsOver(Function<String, String[]> cluster) throws Exception {
        balancesAndFailsOver(cluster, log -> { });
    }

    private void balancesAndFailsOver(Function<String, String[]> cluster, Phase then) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < CAMERAS; i++) {
            int port;
            do {
                port = LocalPorts.freeRtpPort();
            } while (ports.contains(port) || ports.contains(port - 2) || ports.contains(port + 2));
            ports.add(port);
        }
        Path cameras = writeCameras(ports);
        try (CameraStreamLog log = new CameraStreamLog(ports)) {
            log.start();
            for (String name : NAMES) {
                if (!name.equals(NAMES.get(0))) {
                    Thread.sleep(6000);
                }
                start(name, cameras, cluster);
            }
            long lastStart = System.nanoTime();
            await().atMost(25, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> balanced(log, NAMES, 3, 5));
            System.out.printf("Balanced %.1f s after the last start: %s%n", (System.nanoTime() - lastStart) / 1e9,
                    owners(log));
            List<CameraStreamLog.Change> joins = log.changesSince(0);

            String victim = NAMES.get(1);
            Map<Integer, String> before = owners(log);
            long killed = System.nanoTime();
            instances.get(victim).destroyForcibly(); // SIGKILL: no goodbye
            List<String> survivors = NAMES.stream().filter(n -> !n.equals(victim)).toList();
            await().atMost(6, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> balanced(log, survivors, 5, 7));
            double failover = log.changesSince(killed).stream()
                    .filter(c -> victim.equals(before.get(c.port())))
                    .mapToDouble(c -> (c.nextFirstNanos() - killed) / 1e9).max().orElseThrow();
            System.out.printf("kill -9 of %s: its cameras streamed again after %.2f s at most: %s%n", victim, failover,
                    owners(log));

            instances.get(victim).waitFor(10, TimeUnit.SECONDS);
            long restarting = System.nanoTime();
            start(victim, cameras, cluster);
            long restarted = System.nanoTime();
            await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> balanced(log, NAMES, 3, 5));
            System.out.printf("Balanced %.1f s after %s restarted: %s%n", (System.nanoTime() - restarted) / 1e9,
                    victim, owners(log));

            List<CameraStreamLog.Change> handOvers = new ArrayList<>(joins);
            handOvers.addAll(log.changesSince(restarting));
            System.out.printf("Hand-overs: %d, gaps (s): %s%n", handOvers.size(),
                    handOvers.stream().map(c -> String.format("%.2f", c.gapSeconds())).toList());
            assertThat(handOvers).as("cameras handed over when instances joined").isNotEmpty();
            assertThat(handOvers).allSatisfy(c -> assertThat(c.gapSeconds())
                    .as("seconds without frames while port %d was handed over", c.port()).isLessThanOrEqualTo(1.0));
            then.run(log);
            assertThat(log.overlaps()).as("packets of a stream after a newer one started on its port").isZero();
        }
    }

    private interface Phase {
        void run(CameraStreamLog log) throws Exception;
    }

    /**
     * Every camera streams, each from exactly one of {@code names} (its current SSRC is in that instance's SDP file
     * of the camera), and each of them streams between {@code min} and {@code max} cameras.
     */
    private boolean balanced(CameraStreamLog log, List<String> names, int min, int max) throws IOException {
        Map<Integer, String> owners = owners(log);
        if (owners.size() != CAMERAS || !names.containsAll(owners.values())) {
            return false;
        }
        Map<String, Integer> counts = new HashMap<>();
        owners.values().forEach(name -> counts.merge(name, 1, Integer::sum));
        return names.stream().allMatch(n -> counts.getOrDefault(n, 0) >= min && counts.getOrDefault(n, 0) <= max);
    }

    /** The instance that streams each port now, by the SSRC in the SDP file it wrote for that camera. */
    private Map<Integer, String> owners(CameraStreamLog log) throws IOException {
        Map<Integer, String> owners = new HashMap<>();
        for (Map.Entry<Integer, CameraStreamLog.Stream> live : log.live(300).entrySet()) {
            String session = "o=- " + Integer.toUnsignedLong(live.getValue().ssrc()) + " ";
            String camera = camera(log.ports().indexOf(live.getKey()));
            for (String name : NAMES) {
                try {
                    if (Files.readString(dir.resolve(name).resolve(camera + ".sdp")).contains(session)) {
                        owners.put(live.getKey(), name);
                    }
                } catch (NoSuchFileException e) {
                    // this instance never streamed this camera
                }
            }
        }
        return owners;
    }

    /** Starts an instance and waits until its CamelContext has started: then it is an instance of the cluster. */
    private void start(String name, Path cameras, Function<String, String[]> cluster) throws IOException {
        Files.createDirectories(dir.resolve(name));
        List<String> options = new ArrayList<>(List.of(cluster.apply(name)));
        options.add("-Dcamel.main.routesIncludePattern=file:" + cameras);
        options.add("-Dcameras.sdpDir=" + dir.resolve(name));
        String logName = instances.containsKey(name) ? name + "-again" : name;
        instances.put(logName, AppProcess.start(dir, logName, options.toArray(String[]::new)));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                .until(() -> Files.readString(dir.resolve(logName + ".log")).contains(") started in "));
    }

    private Path writeCameras(List<Integer> ports) throws IOException {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < ports.size(); i++) {
            yaml.append("- templatedRoute:\n")
                    .append("    routeTemplateRef: mjpeg-rtp-stream\n")
                    .append("    routeId: ").append(camera(i)).append('\n')
                    .append("    parameters:\n")
                    .append("      - name: pipeline\n")
                    .append("        value: \"videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=160,")
                    .append("height=120,framerate=30/1 ! jpegenc quality=50\"\n")
                    .append("      - name: host\n        value: 127.0.0.1\n")
                    .append("      - name: port\n        value: \"").append(ports.get(i)).append("\"\n")
                    .append("      - name: sdpFile\n        value: \"{{cameras.sdpDir}}").append(File.separator)
                    .append(camera(i)).append(".sdp\"\n");
        }
        Path file = dir.resolve("cameras.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String camera(int index) {
        return String.format("cam-%02d", index + 1);
    }
}
