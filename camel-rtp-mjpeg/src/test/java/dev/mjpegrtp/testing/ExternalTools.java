package dev.mjpegrtp.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real peers the interoperability tests talk to: gst-launch-1.0, ffmpeg, cjpeg. A missing tool fails the
 * test with the Debian package to install; it never skips it.
 */
public final class ExternalTools {

    /**
     * Debian's Python, which has the GStreamer bindings (python3-gi) that a pyenv or venv {@code python3} on the PATH
     * does not see: for GStreamer's RTSP server as a peer.
     */
    public static final String SYSTEM_PYTHON = "/usr/bin/python3";

    private static final Map<String, String> PACKAGE = Map.of(
            "gst-launch-1.0", "gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good",
            "ffmpeg", "ffmpeg",
            "ffprobe", "ffmpeg",
            "cjpeg", "libjpeg-turbo-progs",
            "jpegtran", "libjpeg-turbo-progs",
            SYSTEM_PYTHON, "python3-gi gir1.2-gst-rtsp-server-1.0");

    private ExternalTools() {
    }

    /** The tool's path (searched on the PATH unless absolute); fails the calling test when it is not installed. */
    public static String require(String tool) {
        if (Path.of(tool).isAbsolute()) {
            return Files.isExecutable(Path.of(tool)) ? tool : fail(tool + " is not installed: apt-get install "
                    + PACKAGE.getOrDefault(tool, tool) + " (.ci/run installs it)");
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(tool + " is not installed: apt-get install " + PACKAGE.getOrDefault(tool, tool)
                + " (.ci/run installs it)");
    }

    /** Runs a command to completion and fails the test, with its output, unless it exits 0 in time. */
    public static void run(Duration timeout, String... command) {
        output(timeout, command);
    }

    /** As {@link #run}, returning what the command printed (stdout and stderr together). */
    public static String output(Duration timeout, String... command) {
        Path log = tempLog();
        try {
            Process process = builder(log, command).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + timeout + ":\n" + read(log));
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + read(log));
            }
            return read(log);
        } catch (IOException e) {
            return fail("cannot run " + command[0] + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running " + command[0]);
        } finally {
            deleteQuietly(log);
        }
    }

    /** Starts a long-running peer; its output goes to {@code log}. Stop it with {@link Peer#close()}. */
    public static Peer start(Path log, String... command) {
        require(command[0]);
        try {
            return new Peer(builder(log, command).start(), log, String.join(" ", command));
        } catch (IOException e) {
            return fail("cannot start " + command[0] + ": " + e);
        }
    }

    private static ProcessBuilder builder(Path log, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.set(0, require(command[0]));
        return new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private static Path tempLog() {
        try {
            return Files.createTempFile("peer", ".log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    /** Stops many peers at once: all are signalled before any is waited for. */
    public static void closeAll(List<Peer> peers) throws InterruptedException {
        for (Peer peer : peers) {
            peer.process.destroy();
        }
        for (Peer peer : peers) {
            peer.close();
        }
    }

    /** A running external process. */
    public static final class Peer implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final String command;

        Peer(Process process, Path log, String command) {
            this.process = process;
            this.log = log;
            this.command = command;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the process to exit by itself; fails with its output if it does not, or exits non-zero. */
        public void awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(command + " still running after " + timeout + ":\n" + output());
            }
            if (process.exitValue() != 0) {
                fail(command + " exited " + process.exitValue() + ":\n" + output());
            }
        }

        /** Waits for the process to fail by itself and returns its output; fails if it succeeds or runs on. */
        public String awaitFailure(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(command + " still running after " + timeout + ":\n" + output());
            }
            if (process.exitValue() == 0) {
                fail(command + " succeeded where it should have failed:\n" + output());
            }
            return output();
        }

        public String output() {
            return read(log);
        }

        /** SIGKILL: the process vanishes without a word to its peers, as a crashed or unplugged client does. */
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: gst-launch and ffmpeg exit cleanly
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                // FFmpeg blocked reading a stream that sends nothing heeds only a second signal
                process.destroy();
                if (!process.waitFor(4, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
