package dev.mjpegrtp.camel.gstreamer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.PooledExchangeFactory;
import org.apache.camel.impl.engine.PooledProcessorExchangeFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * Frames a route hands to another thread, or keeps, after the consumer moved on to the next frames: each must still be
 * the picture it was when it was captured, while the consumer reuses its frame arrays. A moving ball makes every frame
 * different and differently sized; the source is deterministic, so the frame numbered n by the consumer
 * (CamelGStreamerSequence) must decode, pixel for pixel, to frame n of the same pipeline run by gst-launch-1.0. Each
 * shape reads its frames late: slow consumers, a thread pool's queue, an aggregation, a file written in the
 * background, a processor keeping what it read. With and without reuseBuffer (a no-op that must keep routes starting),
 * and with Camel's pooled exchange factories.
 */
class GstreamerHandedOnFramesTest {

    private static final int FRAMES = 30;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    /** gstJpegSequence's pipeline, not live: it feeds the route as fast as the route takes frames. */
    private static final String SOURCE = "videotestsrc num-buffers=" + FRAMES + " pattern=ball ! video/x-raw,format=I420,width="
            + WIDTH + ",height=" + HEIGHT + ",framerate=30/1 ! jpegenc quality=85";
    /** How long a slow reader takes per frame: several frames go through the consumer meanwhile. */
    private static final long SLOW_MILLIS = 15;
    private static final List<String> COPYING_SHAPES = List.of("seda", "wireTap", "multicast", "aggregate", "toD", "fileTap");

    @TempDir
    static Path dir;
    private static List<byte[]> expectedPixels;

    /** What each shape read, late, by the consumer's frame number. */
    private final Map<String, Map<Long, byte[]>> received = new ConcurrentHashMap<>();

    @BeforeAll
    static void referenceFrames() throws IOException {
        expectedPixels = new ArrayList<>();
        for (byte[] jpeg : TestImages.gstJpegSequence(dir, "ball", WIDTH, HEIGHT, FRAMES)) {
            expectedPixels.add(pixels(jpeg));
        }
        assertThat(expectedPixels.stream().map(ByteBuffer::wrap).distinct().count()).as("every reference frame differs").isEqualTo(FRAMES);
    }

    @ParameterizedTest(name = "reuseBuffer={0}, pooled exchanges={1}")
    @CsvSource({ "false, false", "true, false", "false, true" })
    void framesReadAfterTheConsumerMovedOnAreTheFramesCaptured(boolean reuseBuffer, boolean pooledExchanges)
            throws Exception {
        Path files = Files.createDirectories(dir.resolve("files-" + reuseBuffer + "-" + pooledExchanges));
        try (CamelContext camel = new DefaultCamelContext()) {
            if (pooledExchanges) {
                // Camel then reuses exchanges, and makes copies from its pool with copyResults instead of copy().
                camel.getCamelContextExtension().setExchangeFactory(new PooledExchangeFactory());
                camel.getCamelContextExtension().setProcessorExchangeFactory(new PooledProcessorExchangeFactory());
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(source("seda", reuseBuffer)).routeId("seda").to("seda:seda-slow");
                    from("seda:seda-slow").process(slowly("seda"));

                    from(source("wireTap", reuseBuffer)).routeId("wireTap").wireTap("direct:tap-slow");
                    from("direct:tap-slow").process(slowly("wireTap"));

                    from(source("multicast", reuseBuffer)).routeId("multicast").multicast().parallelProcessing()
                            .to("direct:multicast-slow", "direct:multicast-fast");
                    from("direct:multicast-slow").process(slowly("multicast"));
                    from("direct:multicast-fast").process(record("multicastFast"));

                    from(source("aggregate", reuseBuffer)).routeId("aggregate")
                            .aggregate(constant(true), AggregationStrategies.groupedExchange()).completionSize(5)
                            .process(exchange -> {
                                for (Object grouped : exchange.getIn().getBody(List.class)) {
                                    record("aggregate").process((Exchange) grouped);
                                }
                            });

                    from(source("toD", reuseBuffer)).routeId("toD")
                            .process(exchange -> exchange.getIn().setHeader("lane", sequence(exchange) % 2))
                            .toD("seda:toD-lane-${header.lane}");
                    from("seda:toD-lane-0").process(slowly("toD"));
                    from("seda:toD-lane-1").process(slowly("toD"));

                    from(source("fileTap", reuseBuffer)).routeId("fileTap")
                            .wireTap("file:" + files + "?fileName=${header.CamelGStreamerSequence}.jpg");

                    from(source("file", reuseBuffer)).routeId("file")
                            .toD("file:" + files + "?fileName=written-${header.CamelGStreamerSequence}.jpg");

                    // Camel's conversions give the processor bytes of its own, which it reads once all frames passed.
                    Map<Long, InputStream> streams = new ConcurrentHashMap<>();
                    from(source("kept", reuseBuffer)).routeId("kept")
                            .process(exchange -> streams.put(sequence(exchange), exchange.getIn().getBody(InputStream.class)))
                            .process(record("keptArray"))
                            .filter(header(GstreamerConstants.SEQUENCE).isEqualTo(FRAMES - 1))
                            .process(exchange -> streams.forEach((sequence, stream) -> {
                                try {
                                    received.computeIfAbsent("keptStream", shape -> new ConcurrentHashMap<>())
                                            .put(sequence, stream.readAllBytes());
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }));
                }
            });
            camel.start();

            List<String> shapes = List.of("seda", "wireTap", "multicast", "multicastFast", "aggregate", "toD", "keptArray",
                    "keptStream");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String shape : shapes) {
                    assertThat(frames(shape).keySet()).as("%s: frames read", shape).hasSize(FRAMES);
                }
                assertThat(countFiles(files, "written-")).as("files written by toD").isEqualTo(FRAMES);
                assertThat(countFiles(files, "")).as("files written").isEqualTo(2 * FRAMES);
            });
            Map<String, Map<Long, byte[]>> read = new LinkedHashMap<>();
            shapes.forEach(shape -> read.put(shape, frames(shape)));
            read.put("wireTap to file:", filesOf(files, ""));
            read.put("toD file:", filesOf(files, "written-"));
            assertAll(read.entrySet().stream().map(shape -> () -> assertPictures(shape.getKey(), shape.getValue())));

            for (String shape : COPYING_SHAPES) {
                GstreamerConsumer consumer = (GstreamerConsumer) camel.getRoute(shape).getConsumer();
                assertThat(consumer.getFramesKeptByRoute()).as("%s: frames left to the route's copies", shape)
                        .isEqualTo(FRAMES);
            }
            GstreamerConsumer straight = (GstreamerConsumer) camel.getRoute("kept").getConsumer();
            assertThat(straight.getFramesKeptByRoute()).as("kept: the exchange is never copied").isZero();
            assertThat(straight.getFrameArraysAllocated()).as("kept: arrays for %d frames", FRAMES).isLessThanOrEqualTo(3);
        }
    }

    private static String source(String shape, boolean reuseBuffer) {
        // Room in the appsink for every frame: the source waits for the route instead of losing frames.
        return "gstreamer:" + shape + "?reuseBuffer=" + reuseBuffer + "&drop=false&maxBuffers=" + FRAMES
                + "&pipeline=RAW(" + SOURCE + ")";
    }

    /** A reader behind the consumer: by the time it reads a frame, later frames went through the consumer. */
    private Processor slowly(String shape) {
        Processor record = record(shape);
        return exchange -> {
            Thread.sleep(SLOW_MILLIS);
            record.process(exchange);
        };
    }

    private Processor record(String shape) {
        return exchange -> frames(shape).put(sequence(exchange), exchange.getIn().getBody(byte[].class));
    }

    private Map<Long, byte[]> frames(String shape) {
        return received.computeIfAbsent(shape, name -> new ConcurrentHashMap<>());
    }

    private static long sequence(Exchange exchange) {
        return exchange.getIn().getHeader(GstreamerConstants.SEQUENCE, Long.class);
    }

    private static long countFiles(Path files, String prefix) throws IOException {
        try (var list = Files.list(files)) {
            return list.filter(file -> file.getFileName().toString().startsWith(prefix)).count();
        }
    }

    private static Map<Long, byte[]> filesOf(Path files, String prefix) throws IOException {
        Map<Long, byte[]> frames = new ConcurrentHashMap<>();
        for (long sequence = 0; sequence < FRAMES; sequence++) {
            frames.put(sequence, Files.readAllBytes(files.resolve(prefix + sequence + ".jpg")));
        }
        return frames;
    }

    private static void assertPictures(String shape, Map<Long, byte[]> frames) throws IOException {
        assertThat(frames.keySet()).as("%s: frame numbers", shape).hasSize(FRAMES).allMatch(n -> n >= 0 && n < FRAMES);
        for (Map.Entry<Long, byte[]> frame : frames.entrySet()) {
            int n = frame.getKey().intValue();
            Pixels.assertIdentical(pixels(frame.getValue()), expectedPixels.get(n), shape + ": frame " + n);
        }
    }

    /** The decoded picture, as the JDK's decoder lays it out (3 bytes a pixel). */
    private static byte[] pixels(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(image).as("a JPEG the JDK decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
