package dev.mjpegrtp.camel.rtsp;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegConsumer;
import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegConstants;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.HostileJpegs;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.RtpSenderSocket;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transcode bomb of issue 17 through real sockets: a camera's RTP stream with 16-bit tables (so that the
 * rtsp-mjpeg producer relaying it transcodes every frame to 8-bit tables), into which frames declaring 4096x2160 of
 * uniform grey are mixed, a few hundred packets each. Decoded to coefficients, each would take 26.5 MB of heap on the
 * relay's thread, and a transcoder kept per thread would keep them. They cost the relay a copy of their bytes, an
 * FFmpeg viewer keeps receiving the camera's frames while they arrive and after, and nothing runs out of memory.
 */
class RtspMjpegTranscodeBombTest extends CamelTestSupport {

    private static final int SSRC = 0xB0B;
    private static final int FPS = 30;
    /** Heap a 4096x2160 4:2:0 frame's coefficients take: two bytes a sample. */
    private static final long BOMB_COEFFICIENT_BYTES = 2L * 4096 * 2160 * 3 / 2;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private final int rtpPort = LocalPorts.freeRtpPort();
    /** Bytes the relay's thread allocated for each frame it relayed, with the frame's width. */
    private final ConcurrentLinkedQueue<long[]> allocations = new ConcurrentLinkedQueue<>();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + rtpPort + "?xDimensions=4096,2160").routeId("relay")
                        .process(exchange -> exchange.setProperty("allocatedBefore", allocatedBytes()))
                        .to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/live")
                        .process(RtspMjpegTranscodeBombTest.this::recordAllocation);
            }
        };
    }

    @Test
    void bombFramesCostTheRelayACopyAndTheViewerKeepsItsFrames() throws Exception {
        JpegFrame good = RtpSenderSocket.withSixteenBitTables(new JpegParser().parse(JavaJpegs.baseline(320, 240)));
        JpegFrame bomb = RtpSenderSocket.withSixteenBitTables(
                new JpegParser().parse(HostileJpegs.sixteenBitTablesGrey(4096, 2160)));
        AtomicBoolean bombing = new AtomicBoolean();
        AtomicInteger bombsSent = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        RtpMjpegConsumer relay = (RtpMjpegConsumer) context.getRoute("relay").getConsumer();
        try (LogCapture log = LogCapture.start();
             RtpSenderSocket camera = new RtpSenderSocket("127.0.0.1", rtpPort, SSRC)) {
            Thread sender = new Thread(() -> {
                for (int frame = 0; sending.get(); frame++) {
                    // A bomb in place of every third frame while bombing, from the camera's address and SSRC.
                    if (bombing.get() && frame % 3 == 0) {
                        camera.sendFrame(bomb);
                        bombsSent.incrementAndGet();
                    } else {
                        camera.sendFrame(good);
                    }
                    sleep(1000 / FPS);
                }
            }, "camera");
            sender.start();
            try (ExternalTools.Peer viewer = RtspViewers.ffmpegCounting(dir.resolve("ffmpeg.log"),
                    "rtsp://127.0.0.1:" + rtspPort.getPort() + "/live", "tcp")) {
                RtspViewers.awaitFirstFrame(viewer, Duration.ofSeconds(20));

                bombing.set(true);
                int beforeBombs = RtspViewers.framesReceived(viewer);
                await().atMost(Duration.ofSeconds(20)).until(() -> bombsSent.get() >= 20);
                bombing.set(false);
                int duringBombs = RtspViewers.framesReceived(viewer) - beforeBombs;
                int afterBombs = RtspViewers.framesReceived(viewer);
                await().atMost(Duration.ofSeconds(10)).until(() -> RtspViewers.framesReceived(viewer) >= afterBombs + 15);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> allocations.stream().filter(a -> a[0] == 4096).count() >= 20);

                assertThat(duringBombs).as("frames the viewer received while 20 bombs came in (40 camera frames)")
                        .isGreaterThanOrEqualTo(36);
            } finally {
                sending.set(false);
                sender.join();
            }
            assertThat(log.lines()).as("log").noneMatch(line -> line.contains("OutOfMemoryError"));
        }

        long largestBomb = allocations.stream().filter(a -> a[0] == 4096).mapToLong(a -> a[1]).max().orElseThrow();
        int bombBytes = bomb.scanLength() + 256;
        assertThat(largestBomb).as("bytes allocated relaying a %d-byte bomb frame", bombBytes)
                .isLessThan(8L * bombBytes + 1_000_000)
                .isLessThan(BOMB_COEFFICIENT_BYTES / 10);
        assertThat(relay.getFramesFailed()).isZero();
    }

    private void recordAllocation(Exchange exchange) {
        long allocated = allocatedBytes() - exchange.getProperty("allocatedBefore", Long.class);
        allocations.add(new long[] {exchange.getIn().getHeader(RtpMjpegConstants.WIDTH, Integer.class), allocated});
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
