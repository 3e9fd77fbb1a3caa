package dev.mjpegrtp.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo app in a JVM of its own, started with {@code routes/jvm.options} as a user starts it, at 640x360 (so that
 * the machine's cores are not what limits the frame rate), with the relay routes of {@code hostile-peers.yaml}; and
 * the legitimate FFmpeg viewer that watches the relay over RTSP (UDP) for as long as the app runs. Measures what the
 * attacks must not take away: the viewer's frame rate, and the process's memory against {@code -Xmx} plus
 * {@code -XX:MaxDirectMemorySize}.
 */
final class DemoUnderAttack implements AutoCloseable {

    static final String USERNAME = "viewer";
    static final String PASSWORD = "correct-horse-battery";
    private static final Path JVM_OPTIONS = Path.of("jvm.options");
    private static final Duration BASELINE = Duration.ofSeconds(5);
    /** The demo sends 30 frames a second; a viewer seeing far fewer before any attack means a machine too busy to judge. */
    private static final double MIN_BASELINE_FPS = 20;
    /** One framecrc line per frame: stream, dts, pts, duration, size, crc. */
    private static final Pattern FRAME_SIZE = Pattern.compile("(?m)^0,\\s*-?\\d+,\\s*-?\\d+,\\s*\\d+,\\s*(\\d+),");

    final Path dir;
    final int rtspPort;
    final int relayPort;
    final int cameraBPort;
    final int cameraCPort;
    final long xmxKb;
    final long maxDirectKb;
    private final Process app;
    private final Path log;
    private ExternalTools.Peer viewer;
    private double baselineFps;
    private int smallestBaselineFrame;
    private long footprintKb;
    private int ssrc;

    private DemoUnderAttack(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        List<String> jvmOptions = Files.readAllLines(JVM_OPTIONS);
        this.xmxKb = sizeOption(jvmOptions, "-Xmx");
        this.maxDirectKb = sizeOption(jvmOptions, "-XX:MaxDirectMemorySize=");
        this.rtspPort = LocalPorts.freeTcpPort();
        this.relayPort = LocalPorts.freeRtpPort();
        this.cameraBPort = LocalPorts.freeRtpPort();
        this.cameraCPort = LocalPorts.freeRtpPort();
        this.log = dir.resolve("app.log");
        this.app = AppProcess.start(dir, "app", rtspPort, "@" + JVM_OPTIONS.toAbsolutePath(),
                "-Dcamel.main.routesIncludePattern=" + MjpegRtpApplication.DEMO_ROUTES + ",classpath:hostile-peers.yaml",
                "-Ddemo.width=640", "-Ddemo.height=360",
                "-Ddemo.port=" + relayPort, "-Ddemo.sdpFile=" + dir.resolve("stream.sdp"),
                "-Dhostile.relayPort=" + relayPort, "-Dhostile.cameraBPort=" + cameraBPort,
                "-Dhostile.cameraCPort=" + cameraCPort,
                "-Dhostile.username=" + USERNAME, "-Dhostile.password=" + PASSWORD);
    }

    /** Starts the app and its viewer, and measures the viewer's frame rate and the app's memory before any attack. */
    static DemoUnderAttack start(Path dir) throws Exception {
        DemoUnderAttack demo = new DemoUnderAttack(dir);
        try {
            demo.watch();
            return demo;
        } catch (Throwable e) {
            demo.close();
            throw e;
        }
    }

    private void watch() throws Exception {
        ssrc = awaitSenderSsrc(Duration.ofSeconds(30));
        viewer = RtspViewers.ffmpegCounting(dir.resolve("viewer.log"), url("relay"), "udp");
        RtspViewers.awaitFirstFrame(viewer, Duration.ofSeconds(20));
        Thread.sleep(1000); // past FFmpeg's probing
        int first = frames();
        long start = System.nanoTime();
        Thread.sleep(BASELINE.toMillis());
        int last = frames();
        baselineFps = fps(first, last, start, System.nanoTime());
        smallestBaselineFrame = frameSizes(first, last).stream().mapToInt(Integer::intValue).min().orElse(0);
        if (baselineFps < MIN_BASELINE_FPS) {
            fail("the viewer sees " + baselineFps + " fps before any attack, less than " + MIN_BASELINE_FPS
                    + " of the demo's 30: the machine is too busy to judge an attack\n" + tail(viewer.output()));
        }
        footprintKb = status("VmRSS") - heapCommittedKb();
    }

    /** The SSRC the demo sends its stream under, from its log: anyone who sees one packet of the stream knows it. */
    private int awaitSenderSsrc(Duration timeout) throws Exception {
        Pattern sending = Pattern.compile("Sending RTP/JPEG to \\S*:" + relayPort + " \\(payload type \\d+, mtu \\d+, "
                + "SSRC (\\d+)");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            Matcher matcher = sending.matcher(logText());
            if (matcher.find()) {
                return (int) Long.parseLong(matcher.group(1));
            }
            Thread.sleep(100);
        }
        return fail("the demo did not start sending in " + timeout + ":\n" + tail(logText()));
    }

    String url(String path) {
        return "rtsp://127.0.0.1:" + rtspPort + "/" + path;
    }

    String protectedUrl() {
        return "rtsp://" + USERNAME + ":" + PASSWORD + "@127.0.0.1:" + rtspPort + "/protected";
    }

    int ssrc() {
        return ssrc;
    }

    double baselineFps() {
        return baselineFps;
    }

    int smallestBaselineFrame() {
        return smallestBaselineFrame;
    }

    /** Resident memory the app used besides its heap, at rest before any attack. */
    long footprintKb() {
        return footprintKb;
    }

    int frames() {
        return RtspViewers.framesReceived(viewer);
    }

    boolean viewerAlive() {
        return viewer.isAlive();
    }

    String viewerOutput() {
        return viewer.output();
    }

    /** Sizes of the frames the viewer received, from the {@code from}-th to before the {@code to}-th. */
    List<Integer> frameSizes(int from, int to) {
        Matcher matcher = FRAME_SIZE.matcher(viewer.output());
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < to && matcher.find(); i++) {
            if (i >= from) {
                sizes.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return sizes;
    }

    static double fps(int firstFrames, int lastFrames, long startNanos, long endNanos) {
        return (lastFrames - firstFrames) * 1e9 / (endNanos - startNanos);
    }

    boolean alive() {
        return app.isAlive();
    }

    long pid() {
        return app.pid();
    }

    List<String> logLines() {
        return logText().lines().toList();
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A field of /proc/PID/status in kB (VmRSS, VmHWM); -1 once the process is gone. */
    long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(app.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return fail("no " + field + " in /proc/" + app.pid() + "/status");
        } catch (IOException e) {
            return -1;
        }
    }

    /** The heap the JVM has committed, from jcmd GC.heap_info: the generations' totals (SerialGC, as jvm.options sets). */
    private long heapCommittedKb() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, String.valueOf(app.pid()), "GC.heap_info").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("jcmd GC.heap_info failed:\n" + output);
        }
        Matcher generation = Pattern.compile("generation\\s+total (\\d+)K").matcher(output);
        long total = 0;
        while (generation.find()) {
            total += Long.parseLong(generation.group(1));
        }
        if (total == 0) {
            fail("no generation totals in jcmd GC.heap_info:\n" + output);
        }
        return total;
    }

    /** The value of {@code -Xmx64m}, {@code -XX:MaxDirectMemorySize=64m} and the like, in kB. */
    private static long sizeOption(List<String> options, String prefix) {
        for (String option : options) {
            if (option.startsWith(prefix)) {
                String value = option.substring(prefix.length()).trim().toLowerCase();
                long number = Long.parseLong(value.replaceAll("[kmg]$", ""));
                return switch (value.charAt(value.length() - 1)) {
                    case 'k' -> number;
                    case 'm' -> number * 1024;
                    case 'g' -> number * 1024 * 1024;
                    default -> number / 1024;
                };
            }
        }
        return fail(JVM_OPTIONS.toAbsolutePath() + " sets no " + prefix + ": the harness bounds memory by it");
    }

    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    @Override
    public void close() throws Exception {
        if (viewer != null) {
            viewer.close();
        }
        app.destroy(); // SIGTERM: the app stops its routes
        if (!app.waitFor(15, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
