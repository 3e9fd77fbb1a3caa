package dev.mjpegrtp.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports on 127.0.0.1 for servers and receivers a test starts later: an even UDP port whose odd neighbour (RTCP)
 * is free too, as RTP receivers expect, and TCP ports.
 *
 * <p>A test learns its port before it binds it, and meanwhile producers, clients, FFmpeg and GStreamer bind sockets of
 * their own without naming a port. The kernel gives those from its ephemeral range, so the ports handed out here lie
 * below that range, where nothing is given unasked, and each is handed out once per JVM.
 */
public final class LocalPorts {

    private static final int LOWEST = 12_000;
    private static final int END = Math.max(LOWEST + 2_000, ephemeralRangeStart()) & ~1;
    private static final AtomicInteger NEXT = new AtomicInteger(LOWEST + 2 * ThreadLocalRandom.current().nextInt((END - LOWEST) / 2));

    private LocalPorts() {
    }

    public static int freeRtpPort() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = nextPair();
            if (udpFree(port) && udpFree(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port pair in [" + LOWEST + ", " + END + ")");
    }

    public static int freeTcpPort() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = nextPair();
            if (tcpFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port in [" + LOWEST + ", " + END + ")");
    }

    private static int nextPair() {
        return NEXT.getAndUpdate(port -> port + 2 >= END ? LOWEST : port + 2);
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port the kernel may give a socket bound to port 0 (Linux's default is 32768). */
    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
