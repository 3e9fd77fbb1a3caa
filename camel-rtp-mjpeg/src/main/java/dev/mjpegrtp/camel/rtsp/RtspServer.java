package dev.mjpegrtp.camel.rtsp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.InterleavedRtpSink;
import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.camel.rtpmjpeg.RtpSink;
import dev.mjpegrtp.camel.rtpmjpeg.SendErrorCounter;
import dev.mjpegrtp.camel.rtpmjpeg.UdpRtpSink;
import dev.mjpegrtp.camel.server.AuthMethod;
import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.camel.server.ServerTls;
import dev.mjpegrtp.camel.server.TcpServer;
import dev.mjpegrtp.camel.server.ViewerAuthenticator;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP server on one host:port, serving every path whose endpoint names that address.
 *
 * <p>RTSP connections are spread over the component's event loops. UDP viewers all get their packets from one RTP
 * socket and their sender reports from one RTCP socket next to it (server_port). Shared sockets rather than a pair
 * per session: two file descriptors whatever the number of viewers, no port range to allocate or open in a firewall,
 * and one flush hands a whole frame for a viewer to the kernel as one sendmmsg. The price is that a viewer's RTCP
 * is told from the others' by its source address, which the session records at SETUP. The pair is free ports
 * chosen at start, or the fixed pair of the rtpPort option, for firewalls that open ports by number.
 *
 * <p>Once a second a housekeeping task ends sessions that went silent for the session timeout, sessions not played
 * within the setup timeout, and UDP sessions whose connection closed once their viewer's RTCP stops, and disconnects
 * TCP viewers that took no frame for their path's viewer timeout.
 *
 * <p>Within the connection limits of {@link TcpServer}, one client address may hold at most maxSessionsPerAddress
 * sessions, so that no single client takes every slot; the counts are by address only, so clients behind one NAT
 * share them.
 *
 * <p>With TLS (rtsps://), RTP and RTCP travel interleaved in the TLS connection: UDP would carry them unencrypted, so
 * SETUP refuses UDP transport with 461.
 */
final class RtspServer extends TcpServer<RtspMjpegConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int UDP_BIND_ATTEMPTS = 64;
    /**
     * Viewers' RTCP is a few hundred bytes; a fixed-size read buffer takes any of it whole, where an adaptive one
     * would guess sizes from past datagrams.
     */
    private static final int RTCP_RECEIVE_BUFFER = 2048;
    private static final int UDP_SEND_BUFFER = 4 * 1024 * 1024;
    /**
     * A TCP viewer's frames wait in its own queue once this much is buffered for its connection: roughly a few
     * frames of 1080p, so that a short stall costs no frame while a stalled viewer holds little memory.
     */
    private static final WriteBufferWaterMark CONNECTION_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);
    private static final long HOUSEKEEPING_INTERVAL_MILLIS = 1000;
    private static final String CNAME = "mjpeg-rtp";
    /**
     * A UDP session whose RTSP connection closed lives on only while its viewer's RTCP comes: three of RFC 3550's
     * minimum 5 s report intervals, so that one or two lost reports do not end it.
     */
    private static final long ORPHAN_RTCP_TIMEOUT_MILLIS = 3 * RtpViewer.REPORT_INTERVAL_SECONDS * 1000;
    /** Refusals are logged the first time and then once in this many, so that a flood is not a flood of lines. */
    private static final long LOG_EVERY_REFUSALS = 1000;

    private final RtspServerSettings settings;
    /** 0: any free even/odd pair. */
    private final int configuredRtpPort;
    private final long sessionTimeoutNanos;
    private final long setupTimeoutNanos;
    private final long orphanTimeoutNanos;
    private final Map<String, RtspStream> streams = new ConcurrentHashMap<>();
    private final Map<String, RtspSession> sessions = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, RtspSession> sessionsByRtcpSource = new ConcurrentHashMap<>();
    private final SendErrorCounter udpSendErrors = new SendErrorCounter();
    /** Taken while a session is counted in, so that two SETUPs on two event loops cannot both take the last slot. */
    private final Object sessionAdmission = new Object();
    private final AtomicLong sessionsRefusedPerAddress = new AtomicLong();
    private final AtomicLong sessionsNeverPlayed = new AtomicLong();
    private final AtomicLong connectionsNotReading = new AtomicLong();
    /**
     * What paths no stream serves ask for when some path asks for credentials: credentials nobody has, so that an
     * unknown path answers as a protected one does and cannot be told from it.
     */
    private final ViewerAuthenticator unknownPathDigest = unanswerable(AuthMethod.DIGEST);
    private final ViewerAuthenticator unknownPathBasic = unanswerable(AuthMethod.BASIC);

    private Channel rtpChannel;
    private Channel rtcpChannel;
    private ScheduledFuture<?> housekeeping;

    /**
     * @param rtpPort the even UDP port to send RTP from, RTCP from the one above; 0 for any free pair
     * @param tls     the TLS of every connection; null for plain RTSP
     */
    RtspServer(InetSocketAddress address, ServerLimits limits, RtspServerSettings settings, int rtpPort, ServerTls tls,
               EventLoopGroup group) {
        super("RTSP", address, limits, tls, group);
        this.settings = settings;
        this.configuredRtpPort = rtpPort;
        this.sessionTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.sessionTimeoutMillis());
        this.setupTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.setupTimeoutMillis());
        this.orphanTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(
                Math.min(settings.sessionTimeoutMillis(), ORPHAN_RTCP_TIMEOUT_MILLIS));
    }

    private static ViewerAuthenticator unanswerable(AuthMethod method) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String random = HexFormat.of().formatHex(secret);
        return ViewerAuthenticator.of(method, random.substring(0, 16), random.substring(16));
    }

    @Override
    public void start() {
        EventLoop udpLoop = group().next();
        if (configuredRtpPort == 0) {
            bindUdpPair(udpLoop);
        } else {
            bindConfiguredUdpPair(udpLoop);
        }
        try {
            listen(CONNECTION_WATER_MARK);
        } catch (IllegalStateException e) {
            closeUdp();
            throw e;
        }
        housekeeping = udpLoop.scheduleAtFixedRate(this::housekeep, HOUSEKEEPING_INTERVAL_MILLIS,
                HOUSEKEEPING_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (isTls()) {
            LOG.info("RTSPS server listening on {} (TLS: {}; RTP/RTCP interleaved only)", serverChannel().localAddress(),
                    tls());
        } else {
            LOG.info("RTSP server listening on {} (RTP/RTCP over UDP from ports {}-{})", serverChannel().localAddress(),
                    rtpPort(), rtcpPort());
        }
    }

    /** Paths of one host:port share its UDP ports and its TLS, so their endpoints must name the same rtpPort. */
    @Override
    public void requireCompatible(RtspMjpegConfiguration configuration) {
        super.requireCompatible(configuration);
        if (configuration.getRtpPort() != configuredRtpPort) {
            throw new IllegalStateException("rtsp-mjpeg:" + configuration.getHost() + ":" + configuration.getPort()
                    + " has rtpPort " + configuredRtpPort + " for its other paths; all paths of one server must name "
                    + "the same rtpPort, got " + configuration.getRtpPort());
        }
    }

    /** An even RTP port and the odd RTCP port above it (RFC 3550 §11), on one event loop so their writes never race. */
    private void bindUdpPair(EventLoop loop) {
        for (int attempt = 0; attempt < UDP_BIND_ATTEMPTS; attempt++) {
            Channel rtp = bindUdp(loop, 0, new DiscardDatagrams());
            if (rtp == null) {
                continue;
            }
            int port = ((InetSocketAddress) rtp.localAddress()).getPort();
            Channel rtcp = port % 2 == 0 && port < 65535 ? bindUdp(loop, port + 1, new RtcpReceiver()) : null;
            if (rtcp != null) {
                rtpChannel = rtp;
                rtcpChannel = rtcp;
                return;
            }
            rtp.close().syncUninterruptibly();
        }
        throw new IllegalStateException("found no free even/odd UDP port pair on " + address().getAddress()
                + " in " + UDP_BIND_ATTEMPTS + " attempts");
    }

    /** The rtpPort option's pair, or a failure that names it: a firewall opened these two, no others will do. */
    private void bindConfiguredUdpPair(EventLoop loop) {
        ChannelFuture rtp = bindUdpAsync(loop, configuredRtpPort, new DiscardDatagrams()).awaitUninterruptibly();
        ChannelFuture rtcp = rtp.isSuccess()
                ? bindUdpAsync(loop, configuredRtpPort + 1, new RtcpReceiver()).awaitUninterruptibly() : rtp;
        if (!rtcp.isSuccess()) {
            if (rtp.isSuccess()) {
                rtp.channel().close().syncUninterruptibly();
            }
            throw new IllegalStateException("cannot bind UDP ports " + configuredRtpPort + "-" + (configuredRtpPort + 1)
                    + " (rtpPort) on " + address().getAddress().getHostAddress() + ": " + rtcp.cause(), rtcp.cause());
        }
        rtpChannel = rtp.channel();
        rtcpChannel = rtcp.channel();
    }

    private Channel bindUdp(EventLoop loop, int port, ChannelHandler receiver) {
        ChannelFuture bound = bindUdpAsync(loop, port, receiver).awaitUninterruptibly();
        return bound.isSuccess() ? bound.channel() : null;
    }

    private ChannelFuture bindUdpAsync(EventLoop loop, int port, ChannelHandler receiver) {
        return new Bootstrap()
                .group(loop)
                .channel(NettyTransport.datagramChannelClass())
                .option(ChannelOption.SO_SNDBUF, UDP_SEND_BUFFER)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(UDP_SEND_BUFFER, 2 * UDP_SEND_BUFFER))
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RTCP_RECEIVE_BUFFER))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(receiver, udpSendErrors);
                    }
                })
                .bind(new InetSocketAddress(address().getAddress(), port));
    }

    /** The pipeline of one RTSP connection; tests run it on an embedded channel. */
    @Override
    protected void initConnection(Channel connection) {
        InterleavedRtspDecoder decoder = new InterleavedRtspDecoder(RtspServerSettings.MAX_INITIAL_LINE_LENGTH,
                RtspServerSettings.MAX_HEADER_SIZE, RtspServerSettings.MAX_CONTENT_LENGTH,
                RtspServerSettings.MAX_INTERLEAVED_LENGTH);
        RtspConnection rtsp = new RtspConnection(this);
        connection.pipeline()
                .addLast("encoder", new RtspEncoder())
                .addLast("responses", new ResponseBackpressure(connectionsNotReading::incrementAndGet))
                .addLast("decoder", decoder)
                .addLast("aggregator", new RtspRequestAggregator(RtspServerSettings.MAX_CONTENT_LENGTH))
                .addLast("guard", new ConnectionGuard(decoder, limits(), settings, rtsp::holdsSession))
                .addLast("rtsp", rtsp);
    }

    @Override
    public void stop() {
        if (housekeeping != null) {
            housekeeping.cancel(false);
            housekeeping = null;
        }
        for (RtspSession session : sessions.values()) {
            endSession(session, "the server stopped", true, false);
        }
        closeConnections();
        closeUdp();
        LOG.info("RTSP server on {} stopped", address());
    }

    private void closeUdp() {
        if (rtpChannel != null) {
            rtpChannel.close().syncUninterruptibly();
            rtpChannel = null;
        }
        if (rtcpChannel != null) {
            rtcpChannel.close().syncUninterruptibly();
            rtcpChannel = null;
        }
    }

    /** Serves a path; fails when another endpoint serves it already. */
    void addStream(RtspStream stream) {
        RtspStream existing = streams.putIfAbsent(stream.path(), stream);
        if (existing != null) {
            throw new IllegalStateException("rtsp://" + address().getHostString() + ":" + address().getPort() + "/"
                    + stream.path() + " is served by another endpoint already");
        }
    }

    /** Stops serving a path: its viewers get an RTCP BYE and their connections close. */
    void removeStream(RtspStream stream) {
        streams.remove(stream.path(), stream);
        for (RtspSession session : stream.sessions()) {
            endSession(session, "the stream stopped", true, true);
        }
    }

    RtspStream stream(String path) {
        return streams.get(path);
    }

    /** Whether some path refuses some requests, for credentials or for the client's address. */
    boolean hasProtectedPaths() {
        for (RtspStream stream : streams.values()) {
            if (stream.isProtected()) {
                return true;
            }
        }
        return false;
    }

    /** Whether every path serves {@code client}'s address; a path no stream serves tells no more than that. */
    boolean allowedOnEveryPath(InetAddress client) {
        for (RtspStream stream : streams.values()) {
            if (!stream.allowedClients().allows(client)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The credentials a path no stream serves asks for: none when no path asks for any; otherwise credentials nobody
     * has, Digest when some path asks for Digest (the default), so that it answers 401 as the protected paths do.
     */
    ViewerAuthenticator unknownPathAuthenticator() {
        ViewerAuthenticator unknown = ViewerAuthenticator.NONE;
        for (RtspStream stream : streams.values()) {
            if (stream.authenticator().method() == AuthMethod.DIGEST) {
                return unknownPathDigest;
            }
            if (stream.authenticator().asksForCredentials()) {
                unknown = unknownPathBasic;
            }
        }
        return unknown;
    }

    /**
     * A new session for a viewer of {@code stream} that asked for {@code transport} on {@code connection}; null when
     * the path serves its maximum of viewers already.
     *
     * @param rtpChannel  TCP: the interleaved channel for RTP; ignored for UDP
     * @param rtcpChannel TCP: the interleaved channel for RTCP; ignored for UDP
     */
    RtspSession openSession(RtspStream stream, Channel connection, TransportRequest transport, int rtpChannel,
                            int rtcpChannel) {
        InetAddress client = ((InetSocketAddress) connection.remoteAddress()).getAddress();
        RtpSink sink;
        InetSocketAddress rtcpSource = null;
        if (transport.interleaved()) {
            sink = new InterleavedRtpSink(connection, rtpChannel, rtcpChannel);
        } else {
            rtcpSource = new InetSocketAddress(client, transport.rtcpPort());
            sink = new UdpRtpSink(this.rtpChannel, this.rtcpChannel, new InetSocketAddress(client, transport.rtpPort()),
                    rtcpSource, NettyTransport.supportsSegmentation(this.rtpChannel));
        }
        RtpViewer viewer = new RtpViewer(sink, stream.maxQueuedFrames(), CNAME);
        RtspSession session = new RtspSession(newSessionId(), stream, viewer, connection, rtcpSource);
        synchronized (sessionAdmission) {
            if (sessionsOf(client) >= settings.maxSessionsPerAddress()) {
                long refused = sessionsRefusedPerAddress.incrementAndGet();
                if (refused % LOG_EVERY_REFUSALS == 1) {
                    LOG.warn("Refused a viewer of /{} from {}: {} sessions of that address already "
                            + "(maxSessionsPerAddress; {} refused so far)", stream.path(), client.getHostAddress(),
                            settings.maxSessionsPerAddress(), refused);
                }
                return null;
            }
            if (!stream.admit(session)) {
                LOG.debug("Refused a viewer of /{} from {}: the path serves its maximum of viewers", stream.path(),
                        client.getHostAddress());
                return null;
            }
            sessions.put(session.id(), session);
        }
        if (rtcpSource != null) {
            sessionsByRtcpSource.put(rtcpSource, session);
        }
        LOG.debug("Set up {}", session);
        LOG.debug("Session id {} for {}", session.id(), session);
        return session;
    }

    private int sessionsOf(InetAddress client) {
        int count = 0;
        for (RtspSession session : sessions.values()) {
            if (session.client().getAddress().equals(client)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Ends a session once, whoever asks first.
     *
     * @param sayBye          send the viewer an RTCP BYE, so that it stops waiting for packets
     * @param closeConnection close the connection the session was set up on, for ends the viewer did not ask for
     */
    void endSession(RtspSession session, String reason, boolean sayBye, boolean closeConnection) {
        if (!session.markEnded()) {
            return;
        }
        sessions.remove(session.id(), session);
        if (session.rtcpSource() != null) {
            sessionsByRtcpSource.remove(session.rtcpSource(), session);
        }
        session.stream().remove(session);
        RtpViewer viewer = session.viewer();
        viewer.end(sayBye);
        if (closeConnection) {
            session.connection().close();
        }
        if (session.played()) {
            LOG.info("Ended {}: {}; {} frames sent, {} dropped, {} bytes", session, reason, viewer.framesSent(),
                    viewer.framesDropped(), viewer.bytesSent());
        } else {
            LOG.debug("Ended {} before it played: {}", session, reason);
        }
    }

    RtspSession session(String id) {
        return sessions.get(id);
    }

    /**
     * RTCP from a viewer's address: when it is the viewer's (see {@link Rtcp#read}), the viewer is alive, maybe
     * reports loss, maybe says BYE. Anybody can send a datagram from the viewer's address; nobody else knows the SSRCs.
     */
    void rtcpReceived(RtspSession session, ByteBuf compound) {
        Rtcp.Feedback feedback = Rtcp.read(compound, session.viewer().ssrc(), session.viewerSsrc());
        if (feedback == null || !feedback.fromViewer()) {
            LOG.debug("Ignored RTCP from {}: {}", session, feedback == null ? "malformed" : "not the viewer's");
            return;
        }
        session.viewerSsrc(feedback.viewerSsrc());
        session.touch();
        if (feedback.report() != null) {
            session.viewer().reportReceived(feedback.report());
        }
        if (feedback.bye()) {
            endSession(session, "the viewer sent RTCP BYE", false, false);
        }
    }

    private void housekeep() {
        authenticationThrottle().summarize();
        long now = System.nanoTime();
        for (RtspSession session : sessions.values()) {
            if (!session.played() && now - session.createdNanos() > setupTimeoutNanos) {
                sessionsNeverPlayed.incrementAndGet();
                endSession(session, "not played within " + settings.setupTimeoutMillis() + " ms of SETUP", false,
                        false);
            } else if (session.orphaned() && session.silentFor(now, orphanTimeoutNanos)) {
                endSession(session, "no RTCP for " + TimeUnit.NANOSECONDS.toMillis(orphanTimeoutNanos)
                        + " ms since its connection closed", true, false);
            } else if (session.silentFor(now, sessionTimeoutNanos)) {
                endSession(session, "no keep-alive or RTCP for " + settings.sessionTimeoutMillis() + " ms", true, true);
            } else if (session.interleaved() && session.viewer().stalled(now, session.stream().viewerTimeoutNanos())) {
                endSession(session, "took no frame for " + TimeUnit.NANOSECONDS.toMillis(
                        session.stream().viewerTimeoutNanos()) + " ms", false, true);
            }
        }
    }

    private static String newSessionId() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return HexFormat.of().withUpperCase().formatHex(id);
    }

    /** Whether connections speak TLS (rtsps://), which carries RTP interleaved only. */
    boolean isTls() {
        return tls() != null;
    }

    /** Connections closed because their client read no responses. */
    long connectionsNotReading() {
        return connectionsNotReading.get();
    }

    /** SETUPs refused because the client's address held maxSessionsPerAddress. */
    long sessionsRefusedPerAddress() {
        return sessionsRefusedPerAddress.get();
    }

    /** Sessions ended because they were not played within the setup timeout. */
    long sessionsNeverPlayed() {
        return sessionsNeverPlayed.get();
    }

    RtspServerSettings settings() {
        return settings;
    }

    int rtpPort() {
        return ((InetSocketAddress) rtpChannel.localAddress()).getPort();
    }

    int rtcpPort() {
        return ((InetSocketAddress) rtcpChannel.localAddress()).getPort();
    }

    /** Viewers' RTCP arriving at the shared RTCP socket, told apart by source address. */
    @ChannelHandler.Sharable
    private final class RtcpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            RtspSession session = sessionsByRtcpSource.get(packet.sender());
            if (session != null) {
                rtcpReceived(session, packet.content());
            }
        }
    }

    /**
     * Datagrams arriving at the RTP socket: clients send a few to open NAT bindings towards it (FFmpeg does); they
     * carry nothing for a sender.
     */
    @ChannelHandler.Sharable
    private static final class DiscardDatagrams extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            // released by SimpleChannelInboundHandler
        }
    }
}
