package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses Netty's native epoll transport where it loads (Linux), NIO elsewhere, and says which and why. Shared by the
 * rtp-mjpeg (UDP) and rtsp-mjpeg (TCP and UDP) components so that both always pick the same transport.
 */
public final class NettyTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    /** Most segments in one UDP_SEGMENT send: Linux's UDP_MAX_SEGMENTS before 6.11 (128 since). */
    public static final int MAX_SEGMENTS = 64;
    /** Most bytes one UDP datagram carries over IPv4, segmented or not. */
    public static final int MAX_DATAGRAM_PAYLOAD = 65_507;
    /** Linux's errno for an I/O error. */
    private static final int EIO = 5;

    private NettyTransport() {
    }

    static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    public static EventLoopGroup newEventLoopGroup(int threads, String threadPrefix) {
        IoHandlerFactory factory;
        if (nativeEpoll()) {
            factory = EpollIoHandler.newFactory();
            LOG.debug("Using Netty's native epoll transport");
        } else {
            factory = NioIoHandler.newFactory();
            LOG.info("Netty's native epoll transport is unavailable ({}); using NIO", Epoll.unavailabilityCause().toString());
        }
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), factory);
    }

    /**
     * A factory of datagram channels of the address family of {@code address}: a dual-stack IPv6 socket would take
     * IPv4 multicast options (interface, TTL, group membership) only on some platforms.
     */
    static ChannelFactory<DatagramChannel> datagramChannelFactory(InetAddress address) {
        SocketProtocolFamily family = address instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return nativeEpoll() ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
    }

    /** The first interface that is up, not loopback and multicast-capable: where a group is joined by default. */
    static NetworkInterface defaultMulticastInterface() throws SocketException {
        List<NetworkInterface> candidates = NetworkInterface.networkInterfaces()
                .filter(NettyTransport::multicastCapable)
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no multicast-capable network interface is up; set multicastInterface "
                    + "(lo for a loopback test)");
        }
        return candidates.get(0);
    }

    private static boolean multicastCapable(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback() && networkInterface.supportsMulticast();
        } catch (SocketException e) {
            return false;
        }
    }

    /** The network interface named {@code name}, or an error listing the ones there are. */
    static NetworkInterface networkInterface(String name) throws SocketException {
        NetworkInterface found = NetworkInterface.getByName(name);
        if (found == null) {
            List<String> names = new ArrayList<>();
            NetworkInterface.networkInterfaces().forEach(i -> names.add(i.getName()));
            throw new IllegalArgumentException("network interface '" + name + "' for multicast not found; this host has "
                    + String.join(", ", names));
        }
        return found;
    }

    /** Whether {@code channel} can send a {@link io.netty.channel.unix.SegmentedDatagramPacket} (UDP GSO). */
    public static boolean supportsSegmentation(Channel channel) {
        return channel instanceof EpollDatagramChannel && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** EIO is the kernel's answer to a segmented send through a device that cannot offload the UDP checksum. */
    public static boolean refusedSegmentation(Throwable cause) {
        return cause instanceof Errors.NativeIoException error && Math.abs(error.expectedErr()) == EIO;
    }

    public static Class<? extends DatagramChannel> datagramChannelClass() {
        return nativeEpoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannelClass() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
