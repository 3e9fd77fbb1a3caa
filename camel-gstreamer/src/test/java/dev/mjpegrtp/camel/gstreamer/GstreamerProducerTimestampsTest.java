package dev.mjpegrtp.camel.gstreamer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.mjpegrtp.testing.ExternalTools;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Frames sent back to back with PTS headers 100 ms apart are recorded 100 ms apart: the producer stamps buffers
 * from the headers, not with their arrival time (which would put them a few milliseconds apart).
 */
class GstreamerProducerTimestampsTest extends CamelTestSupport {

    private static final int FRAMES = 12;
    private static final long FRAME_INTERVAL_NANOS = 100_000_000;
    /** A source whose timeline does not start at zero, as a long-running consumer's does. */
    private static final long FIRST_PTS = 7_000_000_000L;

    @TempDir
    static Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:record").routeId("record")
                        .to("gstreamer:recorder?caps=RAW(image/jpeg,framerate=10/1)&pipeline=RAW(appsrc ! jpegparse ! "
                            + "matroskamux ! filesink location=" + dir.resolve("timed.mkv") + ")");
            }
        };
    }

    @Test
    void recordingKeepsTheHeaderTiming() throws Exception {
        byte[] jpeg = jpeg(320, 240);
        for (int i = 0; i < FRAMES; i++) {
            template.sendBodyAndHeaders("direct:record", jpeg, Map.of(
                    GstreamerConstants.PTS, FIRST_PTS + i * FRAME_INTERVAL_NANOS,
                    GstreamerConstants.DURATION, FRAME_INTERVAL_NANOS));
        }
        context.getRouteController().stopRoute("record");

        String probed = ExternalTools.output(Duration.ofSeconds(30), "ffprobe", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time", "-of", "csv=p=0", dir.resolve("timed.mkv").toString());
        double[] times = probed.lines().map(String::strip).filter(line -> !line.isEmpty())
                .mapToDouble(Double::parseDouble).sorted().toArray();
        assertThat(times).as("frames read back").hasSize(FRAMES);
        for (int i = 1; i < FRAMES; i++) {
            // Matroska keeps milliseconds.
            assertThat(times[i] - times[i - 1]).as("interval %d in %s", i, Arrays.toString(times)).isCloseTo(0.1, within(0.0015));
        }
    }

    private static byte[] jpeg(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(Color.ORANGE);
            graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "jpg", out)).isTrue();
        return out.toByteArray();
    }
}
