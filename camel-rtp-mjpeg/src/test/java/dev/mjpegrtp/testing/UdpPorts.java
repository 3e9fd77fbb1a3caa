package dev.mjpegrtp.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/** Free UDP ports on 127.0.0.1: an even RTP port whose odd neighbour (RTCP) is free too, as RTP receivers expect. */
public final class UdpPorts {

    private UdpPorts() {
    }

    public static int freeRtpPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + 2 * ThreadLocalRandom.current().nextInt(10_000);
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port pair found");
    }

    private static boolean free(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
