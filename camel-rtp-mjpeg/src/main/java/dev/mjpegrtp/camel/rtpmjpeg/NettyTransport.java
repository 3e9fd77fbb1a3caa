package dev.mjpegrtp.camel.rtpmjpeg;

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
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses Netty's native epoll transport where it loads (Linux), NIO elsewhere, and says which and why. Shared by the
 * rtp-mjpeg (UDP) and rtsp-mjpeg (TCP and UDP) components so that both always pick the same transport.
 */
public final class NettyTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

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

    public static Class<? extends DatagramChannel> datagramChannelClass() {
        return nativeEpoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannelClass() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
