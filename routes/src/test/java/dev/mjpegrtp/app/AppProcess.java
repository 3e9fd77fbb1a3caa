package dev.mjpegrtp.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.LocalPorts;

/**
 * The application in a JVM of its own, as {@code java -jar} runs it, on the test's class path: for what only a
 * process shows (signals, several instances on one machine). It logs to {@code NAME.log} in the given directory and
 * serves RTSP on a free port of its own. {@link #startJar} and {@link #startJarWithLib} run the packaged jar instead,
 * with nothing of the test's class path: for what the jar itself holds (the *IT tests, after {@code package}).
 */
final class AppProcess {

    private AppProcess() {
    }

    static Process start(Path dir, String name, String... properties) throws IOException {
        return start(dir, name, LocalPorts.freeTcpPort(), properties);
    }

    /**
     * As {@link #start(Path, String, String...)}, serving RTSP on {@code rtspPort} (and HTTP on a free port); {@code options} may hold JVM
     * options too, such as {@code @routes/jvm.options}.
     */
    static Process start(Path dir, String name, int rtspPort, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddemo.rtspPort=" + rtspPort, "-Ddemo.httpPort=" + LocalPorts.freeTcpPort()));
        command.addAll(List.of(options));
        command.add(MjpegRtpApplication.class.getName());
        File log = dir.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** {@code java @jvm.options OPTIONS -jar target/mjpeg-rtp.jar}, in {@code dir}, as the README starts it. */
    static Process startJar(Path dir, String name, String... options) throws IOException {
        return startPackaged(dir, name, List.of(options), List.of("-jar", packagedJar().toString()));
    }

    /**
     * {@code java @jvm.options OPTIONS -cp "target/mjpeg-rtp.jar:LIB/*" dev.mjpegrtp.app.MjpegRtpApplication}: the
     * packaged app with the component jars in {@code lib}.
     */
    static Process startJarWithLib(Path dir, String name, Path lib, String... options) throws IOException {
        String classPath = packagedJar() + File.pathSeparator + lib.toAbsolutePath() + File.separator + "*";
        return startPackaged(dir, name, List.of(options),
                List.of("-cp", classPath, MjpegRtpApplication.class.getName()));
    }

    private static Process startPackaged(Path dir, String name, List<String> options, List<String> launch)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "@" + Path.of("jvm.options").toAbsolutePath(),
                "-Ddemo.httpPort=" + LocalPorts.freeTcpPort()));
        command.addAll(options);
        command.addAll(launch);
        File log = dir.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log)
                .start();
    }

    /** The shaded jar {@code package} builds; the *IT tests run after it. */
    static Path packagedJar() {
        Path jar = Path.of("target", "mjpeg-rtp.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the *IT tests run in mvn verify, after package");
        }
        return jar;
    }
}
