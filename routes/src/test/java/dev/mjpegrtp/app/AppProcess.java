package dev.mjpegrtp.app;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The application in a JVM of its own, as {@code java -jar} runs it, on the test's class path: for what only a
 * process shows (signals, several instances on one machine). It logs to {@code NAME.log} in the given directory and
 * serves RTSP on a free port of its own.
 */
final class AppProcess {

    private AppProcess() {
    }

    static Process start(Path dir, String name, String... properties) throws IOException {
        return start(dir, name, freeTcpPort(), properties);
    }

    /**
     * As {@link #start(Path, String, String...)}, serving RTSP on {@code rtspPort}; {@code options} may hold JVM
     * options too, such as {@code @routes/jvm.options}.
     */
    static Process start(Path dir, String name, int rtspPort, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dlog4j2.configurationFile=classpath:log4j2-instance.properties",
                "-Ddemo.rtspPort=" + rtspPort));
        command.addAll(List.of(options));
        command.add(MjpegRtpApplication.class.getName());
        File log = dir.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
