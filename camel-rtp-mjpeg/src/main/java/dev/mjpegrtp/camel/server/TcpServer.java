package dev.mjpegrtp.camel.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.rtpmjpeg.RateLimitedLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an RTSP and an HTTP server on one host:port share: the listening socket, the connections it accepted and
 * their limits, and the failed authentications of its clients. Connections beyond maxConnectionsPerAddress from one
 * client address, or beyond maxConnections unless the server {@link #makeRoom makes room}, are closed as they are
 * accepted; the counts are by address only, so clients behind one NAT share them. Every accepted connection's
 * pipeline begins in {@link #openConnection}; the protocol's handlers follow in {@link #initConnection}. With TLS,
 * every admitted connection starts with a TLS handshake: the limits apply before any TLS byte is read.
 *
 * @param <C> the configuration of the endpoints whose paths it serves
 */
public abstract class TcpServer<C extends ServerConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    /** Refusals are logged the first time and then once in this many, so that a flood is not a flood of lines. */
    private static final long LOG_EVERY_REFUSALS = 1000;

    private final String protocol;
    private final InetSocketAddress address;
    private final ServerLimits limits;
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final Map<InetAddress, Integer> connectionsByAddress = new ConcurrentHashMap<>();
    private final AtomicLong connectionsRefused = new AtomicLong();
    private final AuthenticationThrottle authenticationThrottle;
    /** Null: plain TCP. */
    private final ServerTls tls;
    private final AtomicLong tlsHandshakesFailed = new AtomicLong();
    private final RateLimitedLog tlsFailureLog = new RateLimitedLog(LOG);

    private volatile Channel serverChannel;

    /**
     * @param protocol what the logs call the server: RTSP, HTTP
     * @param tls      the TLS of every connection; null for plain TCP
     */
    protected TcpServer(String protocol, InetSocketAddress address, ServerLimits limits, ServerTls tls,
                        EventLoopGroup group) {
        this.protocol = protocol;
        this.address = address;
        this.limits = limits;
        this.tls = tls;
        this.group = group;
        this.connections = new DefaultChannelGroup(protocol.toLowerCase() + "-connections",
                GlobalEventExecutor.INSTANCE);
        this.authenticationThrottle = new AuthenticationThrottle(limits.maxAuthenticationFailures(),
                AuthenticationThrottle.WINDOW_MILLIS, System::nanoTime);
    }

    /** Binds and starts whatever else the server runs; throws when it cannot listen. */
    public abstract void start();

    /** Stops the server: its paths' viewers are let go, its connections and sockets closed. */
    public abstract void stop();

    /**
     * Fails, naming the option, when an endpoint with {@code configuration} cannot serve a path on this server, which
     * endpoints with other options started: paths of one host:port share what is the server's, its TLS among it.
     */
    public void requireCompatible(C configuration) {
        TlsOptions named = configuration.tlsOptions();
        if (tls == null ? named.enabled() : !tls.options().equals(named)) {
            throw new IllegalStateException(address.getHostString() + ":" + address.getPort() + " has TLS options ("
                    + (tls == null ? "no TLS" : tls.options()) + ") for its other paths; all paths of one server must name the "
                    + "same TLS options, got (" + named + ")");
        }
    }

    /**
     * Listens on the server's address.
     *
     * @param waterMark when a connection's writes make Netty report it unwritable
     * @throws IllegalStateException when the address cannot be bound
     */
    protected final void listen(WriteBufferWaterMark waterMark) {
        LOG.debug("Binding {} to {}", protocol, address);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        accept(connection);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen for " + protocol + " on " + address + ": " + bound.cause(),
                    bound.cause());
        }
        serverChannel = bound.channel();
    }

    private void accept(Channel connection) {
        InetAddress client = ((InetSocketAddress) connection.remoteAddress()).getAddress();
        if (!countConnectionIn(client)) {
            refuseConnection(connection, limits.maxConnectionsPerAddress() + " connections from "
                    + client.getHostAddress() + " already open (maxConnectionsPerAddress)");
            return;
        }
        connection.closeFuture().addListener(closed -> countConnectionOut(client));
        if (connections.size() >= limits.maxConnections() && !makeRoom()) {
            refuseConnection(connection, limits.maxConnections() + " connections already open (maxConnections)");
            return;
        }
        connections.add(connection);
        openConnection(connection);
    }

    /**
     * Called, on the new connection's event loop, when a connection comes from an address under its limit while the
     * server holds maxConnections: closes an open connection for the new one to take its place, and says whether it
     * did. None by default: the new connection is refused.
     */
    protected boolean makeRoom() {
        return false;
    }

    /**
     * Where the pipeline of every connection the limits admitted begins: what must come before the protocol (a
     * transport layer such as TLS) goes here, then {@link #initConnection}.
     */
    protected void openConnection(Channel connection) {
        if (tls != null) {
            connection.pipeline()
                    .addLast("tls", tls.newHandler(connection.alloc()))
                    .addLast("tlsHandshake", new TlsHandshakeGuard(tlsHandshakesFailed, tlsFailureLog));
        }
        initConnection(connection);
    }

    /** Adds the protocol's handlers to a connection's pipeline. */
    protected abstract void initConnection(Channel connection);

    private void refuseConnection(Channel connection, String reason) {
        long refused = connectionsRefused.incrementAndGet();
        if (refused % LOG_EVERY_REFUSALS == 1) {
            LOG.warn("Refused an {} connection from {}: {} ({} refused so far)", protocol, connection.remoteAddress(),
                    reason, refused);
        }
        connection.close();
    }

    /** Counts a connection from {@code client} in, unless the address holds its maximum already. */
    private boolean countConnectionIn(InetAddress client) {
        boolean[] admitted = new boolean[1];
        connectionsByAddress.compute(client, (key, open) -> {
            int count = open == null ? 0 : open;
            admitted[0] = count < limits.maxConnectionsPerAddress();
            return admitted[0] ? count + 1 : open;
        });
        return admitted[0];
    }

    private void countConnectionOut(InetAddress client) {
        connectionsByAddress.computeIfPresent(client, (key, open) -> open > 1 ? open - 1 : null);
    }

    /** Stops listening and closes every connection. */
    protected final void closeConnections() {
        Channel listening = serverChannel;
        if (listening != null) {
            listening.close().syncUninterruptibly();
            serverChannel = null;
        }
        connections.close().awaitUninterruptibly();
    }

    /** The listening channel, null before {@link #listen} and after {@link #closeConnections}. */
    protected final Channel serverChannel() {
        return serverChannel;
    }

    protected final InetSocketAddress address() {
        return address;
    }

    protected final EventLoopGroup group() {
        return group;
    }

    public ServerLimits limits() {
        return limits;
    }

    public AuthenticationThrottle authenticationThrottle() {
        return authenticationThrottle;
    }

    /** Connections refused: the server held maxConnections, or the address maxConnectionsPerAddress. */
    public long connectionsRefused() {
        return connectionsRefused.get();
    }

    /** The TLS of every connection, null for plain TCP. */
    public final ServerTls tls() {
        return tls;
    }

    /** TLS handshakes that failed: not TLS, not trusted, no client certificate where one is required, timed out. */
    public long tlsHandshakesFailed() {
        return tlsHandshakesFailed.get();
    }

    public boolean isListening() {
        Channel listening = serverChannel;
        return listening != null && listening.isActive();
    }
}
