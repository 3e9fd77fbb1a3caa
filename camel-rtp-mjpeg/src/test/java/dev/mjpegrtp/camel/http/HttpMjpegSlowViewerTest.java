package dev.mjpegrtp.camel.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.management.openmbean.CompositeData;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.MjpegHttpViewer;
import dev.mjpegrtp.testing.TestImages;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
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
 * A viewer of a 720p30 stream that stops reading (a small receive buffer, an Ethernet-sized segment: the kernel holds
 * little for it) skips frames, holds no growing memory, and is disconnected after the viewer timeout (2 s), while a
 * viewer reading every part keeps the full frame rate.
 */
class HttpMjpegSlowViewerTest extends CamelTestSupport {

    private static final int FPS = 30;
    /** Two seconds of frames held for the stalled viewer would be this much; one shared frame is far less. */
    private static final long DIRECT_MEMORY_BOUND = 8L * 1024 * 1024;

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private String uri() {
        return "http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/live?viewerTimeout=2000";
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to(uri());
            }
        };
    }

    @Test
    void stalledViewerSkipsFramesIsDroppedAndCostsTheOthersNothing() throws Exception {
        List<byte[]> frames = TestImages.gstJpegSequence(dir, "smpte horizontal-speed=8", 1280, 720, FPS);
        HttpMjpegEndpoint endpoint = context.getEndpoint(uri(), HttpMjpegEndpoint.class);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", frames, FPS);
             MjpegHttpViewer good = new MjpegHttpViewer("127.0.0.1", httpPort.getPort(), "/live.mjpeg");
             Socket stalled = new Socket()) {
            assertThat(good.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(good.contentType()).isEqualTo("multipart/x-mixed-replace;boundary=" + MultipartFrame.BOUNDARY);
            good.nextFrame();
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", httpPort.getPort()));
            stalled.getOutputStream().write(("GET /live.mjpeg HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.getViewers() == 2);

            long start = System.nanoTime();
            int received = 0;
            long maxDirect = 0;
            long stalledSkipped = 0;
            while (System.nanoTime() - start < 4_000_000_000L) {
                assertThat(good.nextFrame()).isNotEmpty();
                received++;
                maxDirect = Math.max(maxDirect, usedDirectMemory());
                for (CompositeData viewer : endpoint.viewerStatistics().values().toArray(CompositeData[]::new)) {
                    stalledSkipped = Math.max(stalledSkipped, (Long) viewer.get("framesSkipped"));
                }
            }
            double fps = received / ((System.nanoTime() - start) / 1e9);
            assertThat(fps).as("frame rate of the viewer that reads").isGreaterThan(FPS - 2.0);
            assertThat(stalledSkipped).as("frames the stalled viewer skipped").isGreaterThan(FPS);
            assertThat(maxDirect).as("direct memory while a viewer stalled").isLessThan(DIRECT_MEMORY_BOUND);
            assertThat(endpoint.getViewers()).as("the stalled viewer is gone").isEqualTo(1);
            assertThat(endpoint.getViewersStalled()).isEqualTo(1);
            assertThat(closedByServer(stalled)).isTrue();
            System.out.printf("reading viewer %.1f fps while another stalled; stalled one skipped %d frames; "
                    + "direct memory at most %d KB%n", fps, stalledSkipped, maxDirect / 1024);
        }
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    /** Reads what the kernel held for the socket, then sees the end of the stream. */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
