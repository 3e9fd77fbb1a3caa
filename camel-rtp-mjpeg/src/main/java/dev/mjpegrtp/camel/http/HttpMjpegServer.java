package dev.mjpegrtp.camel.http;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.camel.server.ServerTls;
import dev.mjpegrtp.camel.server.TcpServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server on one host:port, serving every path whose endpoint names that address, within the connection
 * limits of {@link TcpServer}. Twice a second a housekeeping task disconnects viewers that took no frame for their
 * path's viewer timeout. Failed authentications are counted per client address over all paths, as rtsp-mjpeg does:
 * an address that fails too often is refused on protected paths for a minute.
 */
final class HttpMjpegServer extends TcpServer<HttpMjpegConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMjpegServer.class);
    private static final long HOUSEKEEPING_INTERVAL_MILLIS = 500;
    /**
     * A connection's writes wait in Netty once the kernel takes no more; a viewer has at most one frame there (see
     * {@link MjpegViewer}), so the water mark only says when Netty reports the channel unwritable.
     */
    private static final WriteBufferWaterMark CONNECTION_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final HttpServerSettings settings;
    private final Map<String, HttpMjpegStream> streams = new ConcurrentSkipListMap<>();
    private final AtomicLong viewersStalled = new AtomicLong();

    private ScheduledFuture<?> housekeeping;

    /** @param tls the TLS of every connection; null for plain HTTP */
    HttpMjpegServer(InetSocketAddress address, ServerLimits limits, HttpServerSettings settings, ServerTls tls,
                    EventLoopGroup group) {
        super("HTTP", address, limits, tls, group);
        this.settings = settings;
    }

    @Override
    public void start() {
        listen(CONNECTION_WATER_MARK);
        Channel listening = serverChannel();
        housekeeping = listening.eventLoop().scheduleAtFixedRate(this::housekeep, HOUSEKEEPING_INTERVAL_MILLIS,
                HOUSEKEEPING_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (tls() == null) {
            LOG.info("HTTP server listening on {}", listening.localAddress());
        } else {
            LOG.info("HTTPS server listening on {} (TLS: {})", listening.localAddress(), tls());
        }
    }

    @Override
    protected void initConnection(Channel connection) {
        connection.pipeline()
                .addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(HttpServerSettings.MAX_INITIAL_LINE_LENGTH)
                        .setMaxHeaderSize(HttpServerSettings.MAX_HEADER_SIZE)))
                .addLast("aggregator", new HttpObjectAggregator(HttpServerSettings.MAX_CONTENT_LENGTH))
                .addLast("http", new HttpMjpegConnection(this));
    }

    private void housekeep() {
        authenticationThrottle().summarize();
        long now = System.nanoTime();
        for (HttpMjpegStream stream : streams.values()) {
            int stalled = stream.closeStalled(now);
            if (stalled > 0) {
                viewersStalled.addAndGet(stalled);
                LOG.debug("Disconnected {} stalled viewers of /{}", stalled, stream.path());
            }
        }
    }

    @Override
    public void stop() {
        if (housekeeping != null) {
            housekeeping.cancel(false);
            housekeeping = null;
        }
        streams.values().forEach(HttpMjpegStream::close);
        closeConnections();
        LOG.info("HTTP server on {} stopped", address());
    }

    void addStream(HttpMjpegStream stream) {
        if (streams.putIfAbsent(stream.path(), stream) != null) {
            throw new IllegalStateException("http-mjpeg:" + address().getHostString() + ":" + address().getPort()
                    + "/" + stream.path() + " is served already");
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

    long viewersStalled() {
        return viewersStalled.get();
    }
}
