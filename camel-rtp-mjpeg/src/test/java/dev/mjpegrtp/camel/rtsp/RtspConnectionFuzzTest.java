package dev.mjpegrtp.camel.rtsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mjpegrtp.camel.rtpmjpeg.InterleavedRtpSink;
import dev.mjpegrtp.camel.rtpmjpeg.NettyTransport;
import dev.mjpegrtp.camel.rtpmjpeg.Rtcp;
import dev.mjpegrtp.camel.server.AuthMethod;
import dev.mjpegrtp.camel.server.ServerLimits;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.testing.LeakCounter;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.LocalPorts;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the RTSP connection state machine: a client speaks to a real {@link RtspServer}
 * through the pipeline the server gives each connection (on an embedded channel, so that every input runs the same
 * way), about a real path whose frames are published while it talks. The input is a script: a configuration (rate
 * limit, credentials Basic/Digest or none, viewer limit, allowed clients, frames already published, read sizes),
 * then steps: requests from a grammar of what clients send and get wrong (methods, URLs, versions, CSeq values,
 * sessions known and unknown, TCP, UDP and odd transports, credentials right and wrong, bodies, Require, Expect,
 * Connection), raw bytes, interleaved packets (RTCP reports and BYEs for the viewer's SSRC and others, garbage, false
 * lengths), frames, time passing, and reconnecting.
 *
 * <p>Whatever the script: no exception escapes to the connection's handler, each request gets at most one response,
 * in RTSP/1.0, carrying its CSeq; no session without credentials where they are required or from a client that is not
 * allowed; never more sessions than the path's viewer limit; the TCP sessions of a connection end with it and every
 * session ends with its path; nothing waits unflushed and no response is oversized; every buffer is released.
 *
 * <p>UDP viewers' packets really go out, to a socket of this test on 127.83.0.1, the client's address here.
 *
 * <p>{@code mvn test} runs the seeds in {@code RtspConnectionFuzzTestInputs/} (the conversations FFmpeg and
 * GStreamer have with the server over TCP and UDP, with Digest and Basic, and hostile ones) and every crasher kept
 * there; the long mode: {@code JAZZER_FUZZ=1 mvn -pl camel-rtp-mjpeg -am test -Dtest=RtspConnectionFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RtspConnectionFuzzTest {

    private static final String PATH = "fuzz";
    private static final String USERNAME = "viewer";
    private static final String PASSWORD = "secret";
    private static final String CLIENT_HOST = "127.83.0.1";
    /** The address the embedded connections were accepted on, as the server's own is: it appears only in URLs. */
    private static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress("127.0.0.1", 8554);
    private static final String VALID_BASIC = RtspTestClient.basicAuthorization(USERNAME, PASSWORD)
            .substring("Authorization: Basic ".length());
    private static final int STRICT_REQUESTS_PER_SECOND = 5;
    /** The biggest response: an SDP, or headers echoing a CSeq or a Require of up to the request's header limit. */
    private static final int MAX_RESPONSE_BYTES = 2 * RtspServerSettings.MAX_HEADER_SIZE + 4096;
    private static final int MAX_RTCP_BYTES = 256;
    private static final String[] OTHER_METHODS = {"SET_PARAMETER", "RECORD", "ANNOUNCE", "REDIRECT", "GET"};
    private static final String[] EXTRA_HEADERS = {"Require: implicit-play", "Expect: 100-continue",
            "Connection: close", "Accept: application/sdp", "User-Agent: Lavf59.27.100", "Range: npt=0.000-",
            "Content-Type: text/parameters", "Transfer-Encoding: chunked", "Content-Length: 70000",
            "Content-Length: -1", "CSeq: 99", "Session: "};

    private static EventLoopGroup group;
    private static RtspServer relaxedServer;
    private static RtspServer strictServer;
    private static DatagramSocket viewerRtp;
    private static DatagramSocket viewerRtcp;
    private static Rfc2435Frame frame;
    private static int frameWireBytes;
    private static Level previousLevel;

    @BeforeAll
    static void startServers() throws IOException {
        LeakCounter.install();
        // Sessions are logged at INFO as they come and go: millions of inputs must not fill the disk with them.
        previousLevel = LogManager.getLogger(RtspServer.class.getPackageName()).getLevel();
        Configurator.setLevel(RtspServer.class.getPackageName(), Level.WARN);
        group = NettyTransport.newEventLoopGroup(1, "rtsp-fuzz");
        relaxedServer = startServer(1000);
        strictServer = startServer(STRICT_REQUESTS_PER_SECOND);
        InetAddress client = InetAddress.getByName(CLIENT_HOST);
        int port = LocalPorts.freeRtpPort();
        viewerRtp = new DatagramSocket(new InetSocketAddress(client, port));
        viewerRtcp = new DatagramSocket(new InetSocketAddress(client, port + 1));
        // a copy of the codec's fuzz seed of the same name (rfc2435-codec/src/test/resources)
        try (InputStream jpeg = RtspConnectionFuzzTest.class.getResourceAsStream("cjpeg-420-q75.jpg")) {
            frame = new Rfc2435Frame(new JpegParser().parse(jpeg.readAllBytes()), 1400);
        }
        for (int i = 0; i < frame.packetCount(); i++) {
            frameWireBytes += InterleavedRtpSink.PREFIX_LENGTH + frame.packetLength(i);
        }
    }

    private static RtspServer startServer(int maxRequestsPerSecond) {
        RtspServer server = new RtspServer(new InetSocketAddress("127.0.0.1", 0), new ServerLimits(16, 16, 10_000, 10),
                new RtspServerSettings(60_000, 10_000, maxRequestsPerSecond, 16, 5_000, 10_000), 0, null, group);
        server.start();
        return server;
    }

    @AfterAll
    static void stopServers() {
        relaxedServer.stop();
        strictServer.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        viewerRtp.close();
        viewerRtcp.close();
        Configurator.setLevel(RtspServer.class.getPackageName(), previousLevel);
    }

    @FuzzTest(maxDuration = "2h", maxExecutions = 5_000_000)
    void converse(byte[] data) throws Exception {
        long leaksBefore = LeakCounter.leaks();
        Script script = new Script(data);
        int config = script.next();
        RtspServer server = (config & 1) == 0 ? relaxedServer : strictServer;
        RtspMjpegConfiguration configuration = new RtspMjpegConfiguration();
        configuration.setPath(PATH);
        int auth = (config >> 1 & 3) % 3;
        if (auth > 0) {
            configuration.setUsername(USERNAME);
            configuration.setPassword(PASSWORD);
            configuration.setAuthMethod(auth == 1 ? AuthMethod.BASIC : AuthMethod.DIGEST);
        }
        int maxViewers = 1 + (config >> 3 & 3) % 3;
        configuration.setMaxViewers(maxViewers);
        boolean clientAllowed = (config >> 5 & 3) != 3;
        configuration.setAllowedClients(clientAllowed ? "127.0.0.0/8" : "192.0.2.0/24");
        configuration.setMaxQueuedFrames(2);
        configuration.setViewerTimeout(60_000);
        RtspStream stream = new RtspStream(configuration);
        TrackingAllocator allocator = new TrackingAllocator();
        Client client = new Client(server, stream, auth, maxViewers, clientAllowed, allocator, script.next());
        server.addStream(stream);
        try {
            for (int frames = script.next() % 3; frames > 0; frames--) {
                client.publish();
            }
            client.connect();
            while (script.hasNext()) {
                client.step(script);
            }
            client.disconnect();
        } finally {
            client.release();
            server.removeStream(stream);
        }
        assertThat(stream.sessions()).as("sessions once the path is gone").isEmpty();
        for (String id : client.sessionIds) {
            assertThat(server.session(id)).as("session %s once the path is gone", id).isNull();
        }
        // UDP viewers' packets leave on the server's event loop: once it has run what was queued, all is released
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        do {
            group.submit(() -> { }).sync();
        } while (allocator.unreleased() > 0 && System.nanoTime() < deadline);
        assertThat(allocator.unreleased()).as("buffers not released").isZero();
        assertThat(LeakCounter.leaks()).as("buffers leaked (maybe by an earlier input)").isEqualTo(leaksBefore);
    }

    /** The input read a byte at a time; zeros once it is used up. */
    private static final class Script {
        private final byte[] data;
        private int at;

        Script(byte[] data) {
            this.data = data;
        }

        boolean hasNext() {
            return at < data.length;
        }

        int next() {
            return at < data.length ? data[at++] & 0xFF : 0;
        }

        byte[] bytes(int count) {
            int length = Math.min(count, data.length - at);
            byte[] bytes = Arrays.copyOfRange(data, at, at + length);
            at += length;
            return bytes;
        }

        String text(int maxLength) {
            return new String(bytes(next() % (maxLength + 1)), StandardCharsets.ISO_8859_1);
        }
    }

    /** One client: the connections it opens one after the other, what it was told, and the checks on what it gets. */
    private static final class Client {
        private final RtspServer server;
        private final RtspStream stream;
        private final int auth;
        private final int maxViewers;
        private final boolean allowed;
        private final TrackingAllocator allocator;
        private final int maxRead;
        private final String base;
        private final Set<String> sessionIds = new LinkedHashSet<>();
        private final List<Integer> ssrcs = new ArrayList<>();
        private final List<Integer> rtcpChannels = new ArrayList<>();
        private final List<ByteBuf> sent = new ArrayList<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private ClientChannel channel;
        private RequestCounter requests;
        private CaughtExceptions caught;
        private String challenge;
        private int cseq;
        private String lastCseq = "0";
        private long ticks;
        private int clientPort = 40_000;

        Client(RtspServer server, RtspStream stream, int auth, int maxViewers, boolean allowed,
               TrackingAllocator allocator, int reads) {
            this.server = server;
            this.stream = stream;
            this.auth = auth;
            this.maxViewers = maxViewers;
            this.allowed = allowed;
            this.allocator = allocator;
            this.maxRead = reads == 0 ? Integer.MAX_VALUE : reads;
            this.base = "rtsp://" + SERVER_ADDRESS.getHostString() + ":" + SERVER_ADDRESS.getPort() + "/" + PATH;
        }

        void connect() throws Exception {
            channel = new ClientChannel(new InetSocketAddress(CLIENT_HOST, clientPort++),
                    SERVER_ADDRESS);
            channel.config().setAllocator(allocator);
            server.initConnection(channel);
            requests = new RequestCounter();
            channel.pipeline().addAfter("decoder", "requests", requests);
            caught = new CaughtExceptions((ChannelInboundHandler) channel.pipeline().get("rtsp"));
            channel.pipeline().replace("rtsp", "rtsp", caught);
            channel.register();
        }

        void step(Script script) throws Exception {
            int op = script.next() % 16;
            long framesBefore = stream.framesPublished();
            int sessionsBefore = stream.sessions().size();
            boolean credentials = false;
            boolean wholeMessagesBefore = decoder() == null || decoder().partialSinceNanos() == 0;
            switch (op) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> credentials = request(script);
                case 8, 9 -> send(script.bytes(script.next()));
                case 10 -> {
                    byte[] filler = new byte[script.next() * 256];
                    Arrays.fill(filler, (byte) script.next());
                    send(filler);
                }
                case 11 -> interleaved(script);
                case 12 -> publish();
                case 13 -> {
                    channel.advanceTimeBy(script.next() * 20L, TimeUnit.MILLISECONDS);
                }
                case 14 -> {
                    disconnect();
                    connect();
                }
                default -> send(("GET_PARAMETER " + base + "/ RTSP/1.0\r\nCSeq: " + (++cseq) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            channel.runTasks();
            check(stream.framesPublished() - framesBefore);
            if (op < 8 && wholeMessagesBefore && !credentials && auth != 0) {
                assertThat(stream.sessions().size()).as("sessions after a request without valid credentials")
                        .isLessThanOrEqualTo(sessionsBefore);
            }
        }

        /** Sends a request from the grammar; true when it carried the right credentials. */
        private boolean request(Script script) {
            String method = switch (script.next() % 9) {
                case 0 -> "OPTIONS";
                case 1 -> "DESCRIBE";
                case 2 -> "SETUP";
                case 3 -> "PLAY";
                case 4 -> "PAUSE";
                case 5 -> "TEARDOWN";
                case 6 -> "GET_PARAMETER";
                case 7 -> OTHER_METHODS[script.next() % OTHER_METHODS.length];
                default -> script.text(12);
            };
            String uri = switch (script.next() % 9) {
                case 0 -> base;
                case 1 -> base + "/";
                case 2 -> base + "/trackID=0";
                case 3 -> "*";
                case 4 -> "rtsp://127.0.0.1/other";
                case 5 -> base + "/trackID=7";
                case 6 -> "/" + PATH + "/../" + PATH;
                case 7 -> base + "?" + script.text(16);
                default -> script.text(40);
            };
            String version = switch (script.next() % 8) {
                case 6 -> "HTTP/1.1";
                case 7 -> "RTSP/2.0";
                default -> "RTSP/1.0";
            };
            int flags = script.next();
            StringBuilder request = new StringBuilder(method).append(' ').append(uri).append(' ').append(version)
                    .append("\r\n");
            switch (flags & 7) {
                case 0 -> { }
                case 6 -> request.append("CSeq: ").append(lastCseq).append("\r\n");
                case 7 -> request.append("CSeq: ").append(switch (script.next() % 4) {
                    case 0 -> "9".repeat(script.next() * 16);
                    case 1 -> "-1";
                    case 2 -> " 7 , 8";
                    default -> script.text(24);
                }).append("\r\n");
                default -> {
                    lastCseq = Integer.toString(++cseq);
                    request.append("CSeq: ").append(lastCseq).append("\r\n");
                }
            }
            if ((flags & 8) != 0) {
                request.append("Session: ").append(session(script)).append("\r\n");
            }
            if ((flags & 16) != 0) {
                request.append("Transport: ").append(transport(script)).append("\r\n");
            }
            boolean credentials = false;
            if ((flags & 32) != 0) {
                int kind = script.next() % 5;
                credentials = kind == 0 && auth == 1 || kind == 2 && auth == 2 && challenge != null;
                request.append(authorization(kind, method, uri)).append("\r\n");
            }
            if ((flags & 64) != 0) {
                request.append(EXTRA_HEADERS[script.next() % EXTRA_HEADERS.length]).append("\r\n");
            }
            String body = "";
            if ((flags & 128) != 0) {
                body = script.text(64);
                int declared = script.next() % 4 == 0 ? body.length() + script.next() % 8 : body.length();
                request.append("Content-Length: ").append(declared).append("\r\n");
            }
            request.append("\r\n").append(body);
            send(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            // The script's free text may spell the right Basic credentials too (the fuzzer learns them from compares)
            return credentials || auth == 1 && request.indexOf(VALID_BASIC) >= 0;
        }

        private String session(Script script) {
            List<String> known = List.copyOf(sessionIds);
            int kind = script.next() % 5;
            if (kind < 2 && !known.isEmpty()) {
                String id = known.get(script.next() % known.size());
                return kind == 0 ? id : id + ";timeout=60";
            }
            return switch (kind) {
                case 2 -> "0123456789ABCDEF";
                case 3 -> ";;";
                default -> script.text(32);
            };
        }

        private String transport(Script script) {
            int port = viewerRtp.getLocalPort();
            return switch (script.next() % 9) {
                case 0 -> {
                    int channel = script.next();
                    yield "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1);
                }
                case 1 -> "RTP/AVP/TCP;unicast";
                case 2 -> "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1);
                case 3 -> "RTP/AVP/UDP;unicast;client_port=" + switch (script.next() % 7) {
                    case 0 -> Integer.toString(port);
                    case 1 -> (port + 1) + "-" + (port + 2);
                    case 2 -> "0-1";
                    case 3 -> "65535-65536";
                    case 4 -> port + "-" + port;
                    case 5 -> "1-0";
                    default -> "70000-70001";
                };
                case 4 -> "RTP/AVP;multicast";
                case 5 -> "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1) + ";destination=10.0.0.1";
                case 6 -> "RTP/AVP/TCP;unicast;interleaved=0-1,RTP/AVP;unicast;client_port=" + port + "-" + (port + 1);
                case 7 -> "RTP/AVP/TCP;unicast;interleaved=" + script.text(12);
                default -> script.text(48);
            };
        }

        private String authorization(int kind, String method, String uri) {
            String line = switch (kind) {
                case 0 -> RtspTestClient.basicAuthorization(USERNAME, PASSWORD);
                case 1 -> RtspTestClient.basicAuthorization(USERNAME, "wrong");
                case 2, 3 -> challenge == null ? "Authorization: Digest username=\"" + USERNAME + "\""
                        : RtspTestClient.digestAuthorization(challenge, method, uri, USERNAME,
                                kind == 2 ? PASSWORD : "wrong", (cseq & 1) == 0);
                default -> "Authorization: Digest " + uri;
            };
            return line;
        }

        private void interleaved(Script script) {
            int kind = script.next();
            int channelNumber = switch (kind % 4) {
                case 0 -> rtcpChannels.isEmpty() ? 1 : rtcpChannels.get(script.next() % rtcpChannels.size());
                case 1 -> 0;
                default -> script.next();
            };
            int ssrc = ssrcs.isEmpty() ? 0x12345678 : ssrcs.get(script.next() % ssrcs.size());
            ByteBuf packet = Unpooled.buffer();
            switch ((kind >> 2) % 4) {
                case 0 -> {
                    // a receiver report about the viewer's stream (RFC 3550 §6.4.2)
                    packet.writeByte(0x81).writeByte(Rtcp.RECEIVER_REPORT).writeShort(7).writeInt(0x0BADCAFE);
                    packet.writeInt(ssrc).writeInt(script.next() << 24).writeInt(script.next())
                            .writeInt(script.next()).writeInt(0).writeInt(0);
                }
                case 1 -> writeBye(packet, ssrc, "viewer");
                case 2 -> writeBye(packet, 0x0BADCAFE, "someone");
                default -> packet.writeBytes(script.bytes(script.next()));
            }
            int length = packet.readableBytes() + ((kind & 16) != 0 ? script.next() % 8 : 0);
            byte[] frameBytes = new byte[InterleavedRtpSink.PREFIX_LENGTH + packet.readableBytes()];
            frameBytes[0] = '$';
            frameBytes[1] = (byte) channelNumber;
            frameBytes[2] = (byte) (length >> 8);
            frameBytes[3] = (byte) length;
            packet.readBytes(frameBytes, InterleavedRtpSink.PREFIX_LENGTH, packet.readableBytes());
            packet.release();
            send(frameBytes);
        }

        void publish() {
            ticks += 3000;
            stream.publish(frame, ticks, allocator);
        }

        /** Writes the bytes as the server would read them: in reads of at most the script's read size. */
        private void send(byte[] bytes) {
            for (int at = 0; at < bytes.length && channel.isOpen(); ) {
                int length = Math.min(bytes.length - at, maxRead);
                ByteBuf read = Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, at, at + length));
                sent.add(read);
                at += length;
                channel.writeInbound(read);
            }
        }

        private InterleavedRtspDecoder decoder() {
            return channel.isOpen() ? (InterleavedRtspDecoder) channel.pipeline().get("decoder") : null;
        }

        /** What the client got since the last step, and the state of the server: the invariants. */
        private void check(long framesPublished) {
            assertThat(caught.exceptions).as("exceptions that reached the connection").isEmpty();
            channel.checkException();
            ChannelOutboundBuffer unflushed = channel.unsafe().outboundBuffer();
            if (unflushed != null) {
                assertThat(unflushed.totalPendingWriteBytes()).as("bytes written and never flushed").isZero();
            }
            int before = received.size();
            for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
                try {
                    received.writeBytes(ByteBufUtil.getBytes(out));
                } finally {
                    out.release();
                }
            }
            int sessions = stream.sessions().size();
            long allowance = (long) (requests.sinceCheck + 1) * MAX_RESPONSE_BYTES
                    + (framesPublished + 2) * Math.max(1, sessions) * frameWireBytes
                    + 4L * Math.max(1, sessions) * MAX_RTCP_BYTES;
            assertThat((long) received.size() - before).as("bytes sent back in one step").isLessThanOrEqualTo(allowance);
            requests.sinceCheck = 0;
            readResponses();
            assertThat(sessions).as("sessions of the path").isLessThanOrEqualTo(maxViewers);
            assertThat(stream.playingViewers()).as("viewers playing").isLessThanOrEqualTo(sessions);
            if (!allowed) {
                assertThat(sessions).as("sessions of a client that is not allowed").isZero();
            }
        }

        /** Splits what arrived into responses and interleaved packets, and checks each response. */
        private void readResponses() {
            byte[] bytes = received.toByteArray();
            int at = 0;
            while (at < bytes.length) {
                if (bytes[at] == '$') {
                    if (bytes.length - at < InterleavedRtpSink.PREFIX_LENGTH) {
                        break;
                    }
                    int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
                    if (bytes.length - at < InterleavedRtpSink.PREFIX_LENGTH + length) {
                        break;
                    }
                    at += InterleavedRtpSink.PREFIX_LENGTH + length;
                    continue;
                }
                int end = indexOf(bytes, at, "\r\n\r\n");
                if (end < 0) {
                    break;
                }
                String head = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1);
                Map<String, String> headers = headers(head);
                int bodyLength = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                if (bytes.length < end + 4 + bodyLength) {
                    break;
                }
                assertThat(end + 4 + bodyLength - at).as("response size").isLessThanOrEqualTo(MAX_RESPONSE_BYTES);
                response(head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n")), headers);
                at = end + 4 + bodyLength;
            }
            received.reset();
            received.write(bytes, at, bytes.length - at);
        }

        private void response(String statusLine, Map<String, String> headers) {
            assertThat(statusLine).as("status line").startsWith("RTSP/1.0 ");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String cseqValue = headers.get("cseq");
            if (cseqValue == null) {
                assertThat(requests.unnumbered > 0 || status == 408).as("a response without CSeq (%s) to a request "
                        + "without a valid one, or unreadable", statusLine).isTrue();
                if (status != 408) {
                    requests.unnumbered--;
                }
            } else {
                Integer waiting = requests.byCseq.get(cseqValue);
                assertThat(waiting).as("responses with CSeq %s, beyond the requests that carried it", cseqValue)
                        .isNotNull().isPositive();
                requests.byCseq.put(cseqValue, waiting - 1);
            }
            String session = headers.get("session");
            if (status == 200 && session != null) {
                sessionIds.add(session.split(";")[0].trim());
            }
            String authenticate = headers.get("www-authenticate");
            if (authenticate != null && authenticate.startsWith("Digest")) {
                challenge = authenticate;
            }
            String transport = headers.get("transport");
            if (transport != null) {
                Matcher ssrc = Pattern.compile("ssrc=([0-9A-Fa-f]{1,8})").matcher(transport);
                if (ssrc.find()) {
                    ssrcs.add(Integer.parseUnsignedInt(ssrc.group(1), 16));
                }
                Matcher interleaved = Pattern.compile("interleaved=\\d+-(\\d+)").matcher(transport);
                if (interleaved.find()) {
                    rtcpChannels.add(Integer.parseInt(interleaved.group(1)));
                }
            }
        }

        /** Closes the connection as the client would: its TCP sessions must end with it. */
        void disconnect() {
            channel.close();
            channel.runTasks();
            check(0);
            assertThat(received.size()).as("bytes of an unfinished response or packet").isZero();
            for (RtspSession session : stream.sessions()) {
                assertThat(session.connection() == channel && session.interleaved())
                        .as("%s outlived its connection", session).isFalse();
            }
            releaseChannel();
            for (ByteBuf read : sent) {
                assertThat(read.refCnt()).as("references left to a read").isZero();
            }
            sent.clear();
        }

        /** On the way out, whatever happened: nothing of this input may stay behind. */
        void release() {
            if (channel != null) {
                channel.close();
                releaseChannel();
            }
            for (ByteBuf read : sent) {
                if (read.refCnt() > 0) {
                    read.release(read.refCnt());
                }
            }
        }

        private void releaseChannel() {
            channel.runTasks();
            channel.releaseInbound();
            channel.releaseOutbound();
        }
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new HashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static int indexOf(byte[] bytes, int from, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = from; i <= bytes.length - needle.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** A BYE as a viewer sends it: a compound packet of an empty receiver report, its CNAME and the BYE. */
    private static void writeBye(ByteBuf packet, int ssrc, String cname) {
        packet.writeByte(0x80).writeByte(Rtcp.RECEIVER_REPORT).writeShort(1).writeInt(ssrc); // no report blocks
        Rtcp.writeSourceDescription(packet, ssrc, Rtcp.cname(cname));
        Rtcp.writeBye(packet, ssrc);
    }

    /**
     * An embedded channel with the socket addresses the connection handler expects of a TCP connection, whose tasks
     * run only when the client has finished a step, as an event loop's run between the handlers it calls: an embedded
     * channel would otherwise run them whenever something is written, so that a waiting DESCRIBE answer or an RTCP
     * report could land in the middle of an RTP packet or of a response, which no socket channel does.
     */
    private static final class ClientChannel extends EmbeddedChannel {
        private final InetSocketAddress remote;
        private final InetSocketAddress local;

        ClientChannel(InetSocketAddress remote, InetSocketAddress local) {
            super(false, false);
            this.remote = remote;
            this.local = local;
        }

        /** A turn of the event loop: the tasks that are due, scheduled ones included. */
        void runTasks() {
            super.runPendingTasks();
        }

        @Override
        public void runPendingTasks() {
            // what EmbeddedChannel calls on every write and read; see runTasks
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? remote : null;
        }

        @Override
        protected SocketAddress localAddress0() {
            return isActive() ? local : null;
        }
    }

    /** Counts the requests the decoder made of the bytes, by CSeq: each may get one response. */
    private static final class RequestCounter extends ChannelInboundHandlerAdapter {
        private final Map<String, Integer> byCseq = new HashMap<>();
        private int unnumbered;
        private int sinceCheck;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                sinceCheck++;
                String cseq = request.headers().get(RtspHeaderNames.CSEQ);
                // A CSeq the server does not echo (none, or not a short number) gets a response without one
                boolean echoed = RtspResponses.isValidCseq(cseq);
                if (!echoed || request.decoderResult().isFailure()) {
                    unnumbered++;
                }
                if (echoed) {
                    byCseq.merge(cseq, 1, Integer::sum);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * The connection handler, wrapped to see the exceptions that reach it: it closes the connection on any, which
     * would hide a bug from the fuzzer.
     */
    private static final class CaughtExceptions implements ChannelInboundHandler {
        private final ChannelInboundHandler connection;
        private final List<Throwable> exceptions = new ArrayList<>();

        CaughtExceptions(ChannelInboundHandler connection) {
            this.connection = connection;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            // How the aggregator tells that the client went mid-request; the connection is closed already
            if (!(cause instanceof PrematureChannelClosureException && !ctx.channel().isActive())) {
                exceptions.add(cause);
            }
            connection.exceptionCaught(ctx, cause);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            connection.handlerAdded(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
            connection.handlerRemoved(ctx);
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
            connection.channelRegistered(ctx);
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
            connection.channelUnregistered(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            connection.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            connection.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            connection.channelRead(ctx, msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            connection.channelReadComplete(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            connection.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            connection.channelWritabilityChanged(ctx);
        }
    }

    /** Unpooled buffers that remember themselves, so that an input can check it released every one. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        @Override
        protected synchronized ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(buffer);
            return buffer;
        }

        @Override
        protected synchronized ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(buffer);
            return buffer;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        synchronized long unreleased() {
            return allocated.stream().filter(buffer -> buffer.refCnt() > 0).count();
        }
    }
}
