package dev.mjpegrtp.camel.gstreamer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames from the consumer's pool: a route that does not copy the exchange gets ByteBuffers over the same array or
 * two, with the same JPEGs as a route whose exchanges mock: copies (an array each), and a gstreamer: producer given
 * those bodies hands GStreamer exactly their bytes. Both routes run the same deterministic pipeline (a moving ball, so
 * frame sizes differ and a shorter frame follows a longer one in the reused array).
 */
class GstreamerPooledFramesTest extends CamelTestSupport {

    private static final int FRAMES = 40;
    private static final String SOURCE = "videotestsrc num-buffers=" + FRAMES + " pattern=ball ! "
            + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc";

    @TempDir
    static Path dir;

    private final List<byte[]> copiedFrames = Collections.synchronizedList(new ArrayList<>());
    private final Set<byte[]> arrays = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final List<Integer> positions = Collections.synchronizedList(new ArrayList<>());

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // drop=false and room for every frame: a file-like source waits for the route instead of losing frames.
                from("gstreamer:plain?drop=false&maxBuffers=" + FRAMES + "&pipeline=RAW(" + SOURCE + ")")
                        .to("mock:plain");
                from("gstreamer:reused?drop=false&maxBuffers=" + FRAMES + "&pipeline=RAW(" + SOURCE + ")")
                        .routeId("reused")
                        .process(exchange -> {
                            ByteBuffer body = exchange.getIn().getBody(ByteBuffer.class);
                            arrays.add(body.array());
                            positions.add(body.position());
                            // Camel's conversion copies the frame's bytes, position 0 to limit.
                            copiedFrames.add(exchange.getIn().getBody(byte[].class));
                        })
                        .to("gstreamer:recorder?pipeline=RAW(appsrc ! multifilesink location="
                            + dir.resolve("frame-%05d.jpg") + ")");
            }
        };
    }

    @Test
    void pooledFramesCarryTheSameFramesAndReachGstreamerByteForByte() throws Exception {
        MockEndpoint plain = getMockEndpoint("mock:plain");
        plain.expectedMessageCount(FRAMES);
        plain.assertIsSatisfied(20_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> copiedFrames.size() == FRAMES);

        List<byte[]> expected = plain.getReceivedExchanges().stream().map(e -> e.getIn().getBody(byte[].class)).toList();
        assertThat(expected.stream().map(frame -> frame.length).distinct().count())
                .as("frame sizes vary, so shorter frames follow longer ones").isGreaterThan(1);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(copiedFrames.get(i)).as("frame %d", i).isEqualTo(expected.get(i));
        }
        assertThat(positions).containsOnly(0);
        assertThat(arrays.size()).as("arrays the consumer used for %d frames", FRAMES).isLessThanOrEqualTo(3);

        context.getRouteController().stopRoute("reused"); // the producer stops too, after end of stream
        for (int i = 0; i < FRAMES; i++) {
            Path written = dir.resolve(String.format("frame-%05d.jpg", i));
            assertThat(Files.readAllBytes(written)).as("frame %d as the gstreamer: producer wrote it", i)
                    .isEqualTo(expected.get(i));
        }
    }
}
