package dev.mjpegrtp.camel.rtpmjpeg;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses Netty's native epoll transport where it loads (Linux), NIO elsewhere, and says which and why. */
final class UdpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    private UdpTransport() {
    }

    static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    static EventLoopGroup newEventLoopGroup(int threads, String threadPrefix) {
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

    static Class<? extends DatagramChannel> datagramChannelClass() {
        return nativeEpoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
