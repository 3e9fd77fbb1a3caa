package dev.mjpegrtp.app;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.server.ServerConfiguration;
import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.camel.server.TcpServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's management HTTP server: the health checks ({@link HealthEndpoint}) and the metrics
 * ({@link MetricsEndpoint}) under {@code /observe}, as camel-platform-http-main serves them in Camel (it is not
 * available at this Camel version). One Netty event loop thread reads the requests and writes the answers; one worker
 * thread computes them ({@link ObserveConnection}), each kind at most once a second ({@link RecentAnswer}). It serves
 * 0.0.0.0 in a container, so it bounds what anyone who reaches its port can take, with fixed limits:
 * <ul>
 * <li>at most {@value #MAX_CONNECTIONS_PER_ADDRESS} connections from one client address, more are closed as they are
 * accepted ({@link TcpServer}); at most {@value #MAX_CONNECTIONS} in all: a connection beyond them takes the place of
 * the one that has waited longest on its client (for a request, or for it to read an answer), if one has waited
 * {@value #EVICTABLE_AFTER_MILLIS} ms or more, else it is closed as it is accepted;</li>
 * <li>a request must arrive whole within {@value #REQUEST_TIMEOUT_MILLIS} ms of the connection or of the previous
 * answer, else the connection is closed: idle keep-alive connections, and requests that trickle in byte by byte;</li>
 * <li>an answer must be in the kernel's send buffer ({@value #SEND_BUFFER_BYTES} bytes a connection) within
 * {@value #ANSWER_TIMEOUT_MILLIS} ms of its request, else the connection is closed: a client that does not read holds
 * one answer, for that long at the most;</li>
 * <li>one request at a time per connection: nothing more is read until the answer is written, and a request sent
 * before that (HTTP pipelining, which no probe or scraper uses) closes the connection after the answer;</li>
 * <li>the worker's queue holds {@value #MAX_CONNECTIONS} tasks, one a connection: only answers slower than the answer
 * timeout (a health check that blocks) fill it, and a request that finds it full gets 503;</li>
 * <li>a request line longer than {@value #MAX_INITIAL_LINE_LENGTH} bytes gets 414, header lines of more than
 * {@value #MAX_HEADER_SIZE} bytes in all 431, another method than GET 405, a request with a body 413; these close the
 * connection, with nothing more read.</li>
 * </ul>
 * What the limits cannot do: clients from four or more addresses that keep four connections each busy (a request
 * sent and its answer read at least every {@value #EVICTABLE_AFTER_MILLIS} ms, over and over) hold all
 * {@value #MAX_CONNECTIONS}, and the probes and the scraper are refused meanwhile; connections that only connect, trickle
 * or do not read cannot. Hence the loopback address by default, and on 0.0.0.0 a network that only the probes and the
 * scraper reach (a NetworkPolicy).
 */
final class ObserveHttpServer extends ServiceSupport {

    static final int MAX_CONNECTIONS = 16;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 4;
    /** A probe or a scraper sends its request and reads its answer within milliseconds, never waiting this long. */
    static final long EVICTABLE_AFTER_MILLIS = 1000;
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    static final long ANSWER_TIMEOUT_MILLIS = 10_000;
    static final int MAX_INITIAL_LINE_LENGTH = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    /** The kernel's buffer for a connection's answers: a few answers of tens of KB, whether the client reads or not. */
    static final int SEND_BUFFER_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ObserveHttpServer.class);
    private static final long EVICTABLE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(EVICTABLE_AFTER_MILLIS);
    /** TcpServer's limits; the connection idle timeout is the request timeout, and nothing here authenticates. */
    private static final ServerLimits LIMITS = new ServerLimits(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS,
            REQUEST_TIMEOUT_MILLIS, 1);
    /** One answer at a time per connection, waited for by the timeout: Netty's writability says nothing more. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(SEND_BUFFER_BYTES,
            2 * SEND_BUFFER_BYTES);

    private final CamelContext camelContext;
    private final InetSocketAddress address;
    private final Map<String, ObserveEndpoint> endpoints = new LinkedHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();
    private final Set<ObserveConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionsEvicted = new AtomicLong();
    private final AtomicInteger answersUnwritten = new AtomicInteger();
    private final AtomicInteger peakAnswersUnwritten = new AtomicInteger();
    private final AtomicLong requestsTimedOut = new AtomicLong();
    private final AtomicLong answersTimedOut = new AtomicLong();
    private EventLoopGroup group;
    private ExecutorService worker;
    private Listener listener;

    ObserveHttpServer(CamelContext camelContext, InetSocketAddress address) {
        this.camelContext = camelContext;
        this.address = address;
    }

    /** Serves {@code endpoint} at {@code path} and the paths under it; before the start. */
    ObserveHttpServer serve(String path, ObserveEndpoint endpoint) {
        endpoints.put(path, endpoint);
        return this;
    }

    /** The address served, once started: the given port, or the one the system chose for port 0. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.listening().localAddress();
    }

    @Override
    protected void doStart() {
        group = NettyTransport.newEventLoopGroup(1, "observe-io");
        ThreadPoolProfile oneThread = new ThreadPoolProfile("observe-http");
        oneThread.setPoolSize(1);
        oneThread.setMaxPoolSize(1);
        oneThread.setMaxQueueSize(MAX_CONNECTIONS);
        oneThread.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        worker = camelContext.getExecutorServiceManager().newThreadPool(this, "observe-http", oneThread);
        listener = new Listener(group);
        listener.start();
        InetSocketAddress served = address();
        for (String path : endpoints.keySet()) {
            LOG.info("Serving http://{}:{}{}", served.getHostString(), served.getPort(), path);
        }
    }

    @Override
    protected void doStop() {
        if (listener != null) {
            listener.stop();
            listener = null;
        }
        if (worker != null) {
            camelContext.getExecutorServiceManager().shutdownNow(worker);
            worker = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    /** The endpoint serving {@code path}: the one at that path or at a path above it; null when none does. */
    ObserveEndpoint endpoint(String path) {
        for (Map.Entry<String, ObserveEndpoint> served : endpoints.entrySet()) {
            String prefix = served.getKey();
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return served.getValue();
            }
        }
        return null;
    }

    /**
     * Where the answers are computed: one thread, off the event loop, and a queue of {@value #MAX_CONNECTIONS} tasks
     * (one a connection; a task stays queued after its connection closed only while the worker is slower than the
     * answer timeout), beyond which it refuses.
     */
    ExecutorService worker() {
        return worker;
    }

    /** An answer handed to Netty, not yet in the kernel's send buffer. */
    void answerUnwritten() {
        peakAnswersUnwritten.accumulateAndGet(answersUnwritten.incrementAndGet(), Math::max);
    }

    /** An answer in the kernel's send buffer, or given up with its connection. */
    void answerWritten() {
        answersUnwritten.decrementAndGet();
    }

    void requestTimedOut() {
        requestsTimedOut.incrementAndGet();
    }

    void answerTimedOut() {
        answersTimedOut.incrementAndGet();
    }

    /** Connections open now. */
    int connections() {
        return connections.get();
    }

    /** The most connections that were open at once since the start. */
    int peakConnections() {
        return peakConnections.get();
    }

    /**
     * The most answers that waited at once to be written, the memory that clients that do not read can hold: at most
     * one a connection.
     */
    int peakAnswersUnwritten() {
        return peakAnswersUnwritten.get();
    }

    /** Connections closed for a new connection to take their place, the server being full. */
    long connectionsEvicted() {
        return connectionsEvicted.get();
    }

    /** Connections closed as they were accepted: the server held its maximum, or the client's address did. */
    long connectionsRefused() {
        return listener.connectionsRefused();
    }

    /** Connections closed because no whole request arrived within {@value #REQUEST_TIMEOUT_MILLIS} ms. */
    long requestsTimedOut() {
        return requestsTimedOut.get();
    }

    /** Connections closed because their answer was not written within {@value #ANSWER_TIMEOUT_MILLIS} ms. */
    long answersTimedOut() {
        return answersTimedOut.get();
    }

    /** The listening socket and the connections it admits, within {@link #LIMITS}. */
    private final class Listener extends TcpServer<ServerConfiguration> {

        Listener(EventLoopGroup group) {
            super("HTTP management", address, LIMITS, null, group);
        }

        @Override
        public void start() {
            listen(WATER_MARK);
        }

        @Override
        public void stop() {
            closeConnections();
        }

        Channel listening() {
            return serverChannel();
        }

        /** Closes the connection that has waited longest on its client, if one has waited long enough. */
        @Override
        protected boolean makeRoom() {
            long now = System.nanoTime();
            ObserveConnection longest = open.stream()
                    .max(Comparator.comparingLong(connection -> connection.waitingNanos(now)))
                    .filter(connection -> connection.waitingNanos(now) >= EVICTABLE_AFTER_NANOS)
                    .orElse(null);
            if (longest == null) {
                return false;
            }
            longest.evict();
            connectionsEvicted.incrementAndGet();
            return true;
        }

        @Override
        protected void initConnection(Channel connection) {
            peakConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
            ObserveConnection handler = new ObserveConnection(ObserveHttpServer.this);
            open.add(handler);
            connection.closeFuture().addListener(closed -> {
                connections.decrementAndGet();
                open.remove(handler);
            });
            connection.config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES);
            connection.pipeline()
                    .addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                            .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
                            .setMaxHeaderSize(MAX_HEADER_SIZE)))
                    .addLast("observe", handler);
        }
    }
}
