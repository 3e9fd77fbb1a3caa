package dev.mjpegrtp.camel.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.rtpmjpeg.RateLimitedLog;
import dev.mjpegrtp.camel.rtsp.AuthenticationThrottle;
import dev.mjpegrtp.camel.server.ServerTls;
import dev.mjpegrtp.camel.server.TlsHandshakeGuard;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server on one host:port, serving every path whose endpoint names that address. Connections beyond
 * maxConnections, or beyond maxConnectionsPerAddress from one client address, are closed as they are accepted; the
 * counts are by address only, so clients behind one NAT share them. Twice a second a housekeeping task disconnects
 * viewers that took no frame for their path's viewer timeout. Failed authentications are counted per client address
 * over all paths, as rtsp-mjpeg does: an address that fails too often is refused on protected paths for a minute.
 * With TLS (https://), each connection the limits admit starts with a TLS handshake.
 */
final class HttpMjpegServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMjpegServer.class);
    private static final long HOUSEKEEPING_INTERVAL_MILLIS = 500;
    /** Refusals are logged the first time and then once in this many, so that a flood is not a flood of lines. */
    private static final long LOG_EVERY_REFUSALS = 1000;
    /**
     * A connection's writes wait in Netty once the kernel takes no more; a viewer has at most one frame there (see
     * {@link MjpegViewer}), so the water mark only says when Netty reports the channel unwritable.
     */
    private static final WriteBufferWaterMark CONNECTION_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final InetSocketAddress address;
    private final HttpServerSettings settings;
    private final EventLoopGroup group;
    private final Map<String, HttpMjpegStream> streams = new ConcurrentSkipListMap<>();
    private final ChannelGroup connections = new DefaultChannelGroup("http-mjpeg-connections",
            GlobalEventExecutor.INSTANCE);
    private final Map<InetAddress, Integer> connectionsByAddress = new ConcurrentHashMap<>();
    private final AtomicLong connectionsRefused = new AtomicLong();
    private final AtomicLong viewersStalled = new AtomicLong();
    private final AuthenticationThrottle authenticationThrottle;
    /** Null: plain HTTP. */
    private final ServerTls tls;
    private final AtomicLong tlsHandshakesFailed = new AtomicLong();
    private final RateLimitedLog tlsFailureLog = new RateLimitedLog(LOG);

    private volatile Channel serverChannel;
    private ScheduledFuture<?> housekeeping;

    /** @param tls the TLS of every connection; null for plain HTTP */
    HttpMjpegServer(InetSocketAddress address, HttpServerSettings settings, ServerTls tls, EventLoopGroup group) {
        this.address = address;
        this.tls = tls;
        this.settings = settings;
        this.group = group;
        this.authenticationThrottle = new AuthenticationThrottle(settings.maxAuthenticationFailures(),
                AuthenticationThrottle.WINDOW_MILLIS, System::nanoTime);
    }

    void start() {
        LOG.debug("Binding HTTP to {}", address);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CONNECTION_WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        accept(connection);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen for HTTP on " + address + ": " + bound.cause(),
                    bound.cause());
        }
        serverChannel = bound.channel();
        housekeeping = serverChannel.eventLoop().scheduleAtFixedRate(this::housekeep, HOUSEKEEPING_INTERVAL_MILLIS,
                HOUSEKEEPING_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (tls == null) {
            LOG.info("HTTP server listening on {}", serverChannel.localAddress());
        } else {
            LOG.info("HTTPS server listening on {} (TLS: {})", serverChannel.localAddress(), tls);
        }
    }

    private void accept(Channel connection) {
        if (connections.size() >= settings.maxConnections()) {
            refuseConnection(connection, settings.maxConnections() + " connections already open (maxConnections)");
            return;
        }
        InetAddress client = ((InetSocketAddress) connection.remoteAddress()).getAddress();
        if (!countConnectionIn(client)) {
            refuseConnection(connection, settings.maxConnectionsPerAddress() + " connections from "
                    + client.getHostAddress() + " already open (maxConnectionsPerAddress)");
            return;
        }
        connection.closeFuture().addListener(closed -> countConnectionOut(client));
        connections.add(connection);
        if (tls != null) {
            connection.pipeline()
                    .addLast("tls", tls.newHandler(connection.alloc()))
                    .addLast("tlsHandshake", new TlsHandshakeGuard(tlsHandshakesFailed, tlsFailureLog));
        }
        connection.pipeline()
                .addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(HttpServerSettings.MAX_INITIAL_LINE_LENGTH)
                        .setMaxHeaderSize(HttpServerSettings.MAX_HEADER_SIZE)))
                .addLast("aggregator", new HttpObjectAggregator(HttpServerSettings.MAX_CONTENT_LENGTH))
                .addLast("http", new HttpMjpegConnection(this));
    }

    private void refuseConnection(Channel connection, String reason) {
        long refused = connectionsRefused.incrementAndGet();
        if (refused % LOG_EVERY_REFUSALS == 1) {
            LOG.warn("Refused an HTTP connection from {}: {} ({} refused so far)", connection.remoteAddress(), reason,
                    refused);
        }
        connection.close();
    }

    private boolean countConnectionIn(InetAddress client) {
        boolean[] admitted = new boolean[1];
        connectionsByAddress.compute(client, (key, open) -> {
            int count = open == null ? 0 : open;
            admitted[0] = count < settings.maxConnectionsPerAddress();
            return admitted[0] ? count + 1 : open;
        });
        return admitted[0];
    }

    private void countConnectionOut(InetAddress client) {
        connectionsByAddress.computeIfPresent(client, (key, open) -> open > 1 ? open - 1 : null);
    }

    private void housekeep() {
        authenticationThrottle.summarize();
        long now = System.nanoTime();
        for (HttpMjpegStream stream : streams.values()) {
            int stalled = stream.closeStalled(now);
            if (stalled > 0) {
                viewersStalled.addAndGet(stalled);
                LOG.debug("Disconnected {} stalled viewers of /{}", stalled, stream.path());
            }
        }
    }

    void stop() {
        if (housekeeping != null) {
            housekeeping.cancel(false);
            housekeeping = null;
        }
        streams.values().forEach(HttpMjpegStream::close);
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        connections.close().awaitUninterruptibly();
        LOG.info("HTTP server on {} stopped", address);
    }

    void addStream(HttpMjpegStream stream) {
        if (streams.putIfAbsent(stream.path(), stream) != null) {
            throw new IllegalStateException("http-mjpeg:" + address.getHostString() + ":" + address.getPort() + "/"
                    + stream.path() + " is served already");
        }
    }

    void removeStream(HttpMjpegStream stream) {
        streams.remove(stream.path(), stream);
        stream.close();
    }

    HttpMjpegStream stream(String path) {
        return streams.get(path);
    }

    /** Every path, in path order. */
    Collection<HttpMjpegStream> streams() {
        return streams.values();
    }

    HttpServerSettings settings() {
        return settings;
    }

    AuthenticationThrottle authenticationThrottle() {
        return authenticationThrottle;
    }

    /** TLS handshakes that failed: not TLS, not trusted, no client certificate where one is required, timed out. */
    long tlsHandshakesFailed() {
        return tlsHandshakesFailed.get();
    }

    long connectionsRefused() {
        return connectionsRefused.get();
    }

    long viewersStalled() {
        return viewersStalled.get();
    }

    boolean isListening() {
        Channel listening = serverChannel;
        return listening != null && listening.isActive();
    }
}
