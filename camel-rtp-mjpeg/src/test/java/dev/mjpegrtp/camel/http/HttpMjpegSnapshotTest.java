package dev.mjpegrtp.camel.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import dev.mjpegrtp.testing.LeakCounter;
import dev.mjpegrtp.testing.TestImages;
import io.netty.buffer.ByteBufAllocator;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PATH.jpg through java.net.http: 503 with Retry-After before the first frame, then the latest frame byte for byte
 * with an entity tag that answers 304 until the next frame; a body that is no JPEG is refused, counted, and the next
 * frame goes through; no buffer leaks. The page, its figures and the index name the path.
 */
class HttpMjpegSnapshotTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cam").to(uri());
            }
        };
    }

    private String uri() {
        return "http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/yard/cam";
    }

    private HttpResponse<byte[]> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort.getPort() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void latestFrameWithEntityTag() throws Exception {
        LeakCounter.install();
        HttpResponse<byte[]> early = get("/yard/cam.jpg", null);
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).hasValue("1");

        byte[] first = Files.readAllBytes(TestImages.gstJpeg(dir, "bars", "smpte", "I420", 320, 240, 85));
        byte[] second = Files.readAllBytes(TestImages.gstJpeg(dir, "ball", "ball", "I420", 320, 240, 85));
        // A pooled buffer with a leftover behind the JPEG, as the gstreamer consumer sends them: only the readable
        // bytes are the frame, and the buffer is overwritten once the exchange completes.
        ByteBuffer pooled = ByteBuffer.allocate(first.length + 100);
        pooled.put(first).flip();
        template.sendBody("direct:cam", pooled);
        pooled.clear();
        pooled.put(new byte[pooled.capacity()]);

        HttpResponse<byte[]> snapshot = get("/yard/cam.jpg", null);
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(snapshot.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(snapshot.body()).isEqualTo(first);
        String etag = snapshot.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> unchanged = get("/yard/cam.jpg", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();

        assertThatThrownBy(() -> template.sendBody("direct:cam", "not a picture".getBytes()))
                .isInstanceOf(CamelExecutionException.class).hasCauseInstanceOf(InvalidJpegException.class)
                .cause().hasMessageContaining("SOI (FF D8)");
        HttpMjpegEndpoint endpoint = context.getEndpoint(uri(), HttpMjpegEndpoint.class);
        assertThat(endpoint.getFramesRejected()).isEqualTo(1);

        template.sendBody("direct:cam", second);
        HttpResponse<byte[]> changed = get("/yard/cam.jpg", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(second);
        assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(endpoint.getSnapshotsServed()).isEqualTo(2);
        assertThat(endpoint.getFramesPublished()).isEqualTo(2);

        context.stop(); // lets go of the latest frame
        for (int i = 0; i < 10 && LeakCounter.leaks() == 0; i++) {
            System.gc();
            // the detector looks for collected buffers it was not told of when it tracks new ones
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
            Thread.sleep(50);
        }
        assertThat(LeakCounter.leaks()).as("buffers leaked").isZero();
    }

    @Test
    void pageFiguresAndIndex() throws Exception {
        template.sendBody("direct:cam", Files.readAllBytes(TestImages.gstJpeg(dir, "bars", "smpte", "I420", 320, 240,
                85)));
        HttpResponse<byte[]> page = get("/yard/cam", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(new String(page.body())).contains("<img id=\"stream\" src=\"cam.mjpeg\"").contains("cam.json");

        HttpResponse<byte[]> figures = get("/yard/cam.json", null);
        assertThat(figures.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(figures.body())).startsWith("{\"path\":\"yard/cam\",\"fps\":")
                .contains("\"viewers\":0,\"framesPublished\":1,");

        HttpResponse<byte[]> index = get("/", null);
        assertThat(new String(index.body())).contains("href=\"/yard/cam\"").contains("src=\"/yard/cam.jpg\"");

        assertThat(get("/yard/other.jpg", null).statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + httpPort.getPort() + "/yard/cam.jpg")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
