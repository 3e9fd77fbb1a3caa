package dev.mjpegrtp.camel.rtsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import io.netty.util.internal.PlatformDependent;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send requests and read nothing, with 4 KiB receive buffers, at the request rate the server allows:
 * ten send OPTIONS with a 7.6 KB CSeq (refused with 400 and closed at once, nothing of it echoed); five play over TCP
 * and send GET_PARAMETER keep-alives without reading, so that their responses queue behind frames the loopback's
 * socket buffers no longer take (closed once responses wait, long before the viewer timeout of 60 s would close
 * them). Meanwhile FFmpeg watches over TCP on the same event loops and keeps at least 90 % of its frame rate, and
 * the server's direct memory stays within a bound.
 *
 * <p>The OPTIONS go 16 a second, the keep-alives 5: within maxRequestsPerSecond however the machine schedules them.
 * {@code -Dattack.seconds=60} runs the attack as long as it was first measured (the minute).
 */
class RtspMjpegNonReadingClientsTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int BIG_CSEQ_CLIENTS = 10;
    private static final int STALLED_VIEWERS = 5;
    private static final Duration ATTACK = Duration.ofSeconds(Long.getLong("attack.seconds", 10));
    private static final long DIRECT_MEMORY_GROWTH_LIMIT = 32L * 1024 * 1024;
    private static final Pattern SESSION = Pattern.compile("(?i)session: *([^;\\r]+)");

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/live?viewerTimeout=60000");
            }
        };
    }

    @Test
    void clientsThatReadNothingAreClosedWhileAViewerKeepsItsFrameRate() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 640, 480, FPS);
        RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort()
                + "/live?viewerTimeout=60000", RtspMjpegEndpoint.class);
        String url = "rtsp://127.0.0.1:" + rtspPort.getPort() + "/live";
        List<Socket> attackers = new ArrayList<>();
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS);
             ExternalTools.Peer viewer = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"), url, "tcp")) {
            RtspViewers.awaitFirstFrame(viewer, Duration.ofSeconds(20));
            Thread.sleep(1000);
            long directBefore = directMemoryUsed();
            long rssBefore = residentSetKiB();
            int framesBefore = RtspViewers.framesReceived(viewer);
            long publishedBefore = feed.framesSent();
            long start = System.nanoTime();

            String bigCseq = "OPTIONS * RTSP/1.0\r\nCSeq: " + "7".repeat(7600) + "\r\n\r\n";
            List<CompletableFuture<Void>> floods = new ArrayList<>();
            for (int i = 0; i < BIG_CSEQ_CLIENTS; i++) {
                Socket client = nonReadingClient("127.0.0.2");
                attackers.add(client);
                floods.add(CompletableFuture.runAsync(() -> sendUntilClosed(client, bigCseq, 60)));
            }
            for (int i = 0; i < STALLED_VIEWERS; i++) {
                Socket client = nonReadingClient("127.0.0.3");
                attackers.add(client);
                String session = playInterleaved(client, url);
                floods.add(CompletableFuture.runAsync(() -> sendUntilClosed(client, "GET_PARAMETER " + url
                        + " RTSP/1.0\r\nCSeq: 9\r\nSession: " + session + "\r\n\r\n", 200)));
            }
            long directPeak = directBefore;
            long rssPeak = rssBefore;
            while (System.nanoTime() - start < ATTACK.toNanos()) {
                directPeak = Math.max(directPeak, directMemoryUsed());
                rssPeak = Math.max(rssPeak, residentSetKiB());
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double viewerFps = (RtspViewers.framesReceived(viewer) - framesBefore) / seconds;
            double publishedFps = (feed.framesSent() - publishedBefore) / seconds;
            int closed = 0;
            for (Socket attacker : attackers) {
                closed += closedByServer(attacker, Duration.ofSeconds(5)) ? 1 : 0;
            }
            CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            System.out.printf("under attack for %.0f s: viewer %.1f fps of %.1f published; direct memory %d KiB before, "
                    + "peak %d KiB; RSS %d KiB before, peak %d KiB; %d of %d attackers closed, %d for not reading%n",
                    seconds, viewerFps, publishedFps, directBefore / 1024, directPeak / 1024, rssBefore, rssPeak, closed,
                    attackers.size(), endpoint.getConnectionsNotReading());

            assertThat(closed).as("non-reading clients closed by the server").isEqualTo(attackers.size());
            assertThat(endpoint.getConnectionsNotReading()).as("closed for reading no responses")
                    .isEqualTo(STALLED_VIEWERS);
            assertThat(viewerFps).as("the viewer's frame rate under attack").isGreaterThanOrEqualTo(0.9 * publishedFps);
            assertThat(directPeak - directBefore).as("direct memory growth").isLessThan(DIRECT_MEMORY_GROWTH_LIMIT);
            assertThat(viewer.isAlive()).isTrue();
        } finally {
            for (Socket attacker : attackers) {
                attacker.close();
            }
        }
    }

    /** A client from {@code localAddress} with a 4 KiB receive buffer, so that unread replies back up at once. */
    private Socket nonReadingClient(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", rtspPort.getPort()));
        return socket;
    }

    /**
     * DESCRIBE, SETUP and PLAY over TCP, reading only the responses, on a socket that then reads nothing more; the
     * session id.
     */
    private static String playInterleaved(Socket socket, String url) throws IOException {
        String setup = exchange(socket, "SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        Matcher session = SESSION.matcher(setup);
        if (!session.find()) {
            throw new IOException("no session in " + setup);
        }
        exchange(socket, "PLAY " + url + " RTSP/1.0\r\nCSeq: 2\r\nSession: " + session.group(1) + "\r\n\r\n");
        return session.group(1);
    }

    /** Sends a request and reads its response's head, byte by byte so that nothing after it is consumed. */
    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("closed before a response: " + head);
            }
            head.append((char) next);
        }
        if (!head.toString().startsWith("RTSP/1.0 200")) {
            throw new IOException("refused: " + head);
        }
        return head.toString();
    }

    /**
     * Writes {@code request} every {@code pauseMillis}, within maxRequestsPerSecond, for the attack's time or until
     * closed.
     */
    private static void sendUntilClosed(Socket socket, String request, long pauseMillis) {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        long end = System.nanoTime() + ATTACK.toNanos();
        try {
            OutputStream out = socket.getOutputStream();
            while (System.nanoTime() < end) {
                out.write(bytes);
                Thread.sleep(pauseMillis);
            }
        } catch (IOException e) {
            // closed by the server: what the test waits for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the server has closed the connection: reading what it sent ends in EOF or a reset within the time. */
    private static boolean closedByServer(Socket socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        byte[] skip = new byte[65536];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(skip) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    /** The JVM's resident set (Linux), for the figures printed; -1 where /proc is not there. */
    private static long residentSetKiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }

    /** Direct memory in use: NIO's direct buffers plus what Netty allocates around them, if it counts that. */
    private static long directMemoryUsed() {
        long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return nio + Math.max(0, PlatformDependent.usedDirectMemory());
    }
}
