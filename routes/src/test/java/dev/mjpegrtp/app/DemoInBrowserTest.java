package dev.mjpegrtp.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.mjpegrtp.camel.http.HttpMjpegEndpoint;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.UdpPorts;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real browser shows the demo: headless Chromium loads http://127.0.0.1:PORT/demo, whose {@code <img>} is the
 * demo's .mjpeg stream, and its screenshot shows the SMPTE bars: a row of the picture holds the seven 75% bars, white
 * to blue, left to right.
 */
class DemoInBrowserTest {

    /** videotestsrc's 75% SMPTE bars, left to right: white, yellow, cyan, green, magenta, red, blue. */
    private static final int[][] BARS = {{191, 191, 191}, {191, 191, 0}, {0, 191, 191}, {0, 191, 0}, {191, 0, 191},
        {191, 0, 0}, {0, 0, 191}};
    /** How far a screenshot pixel may be from a bar's colour after JPEG, YUV to RGB and scaling. */
    private static final int TOLERANCE = 48;
    /** A bar of the 640-pixel-wide demo is about 91 pixels wide; a shorter run of one colour is an edge. */
    private static final int MIN_BAR_WIDTH = 40;

    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Test
    void chromiumShowsTheDemoBars() throws Exception {
        Path screenshot = dir.resolve("demo.png");
        try (RunningApp app = new RunningApp(Map.of(
                "demo.port", String.valueOf(UdpPorts.freeRtpPort()),
                "demo.sdpFile", dir.resolve("stream.sdp").toString(),
                "demo.rtspPort", String.valueOf(rtspPort.getPort()),
                "demo.httpPort", String.valueOf(httpPort.getPort()),
                "demo.width", "640",
                "demo.height", "360"))) {
            String page = "http://127.0.0.1:" + httpPort.getPort() + "/demo";
            ExternalTools.require("chromium");
            ExternalTools.run(Duration.ofSeconds(90), "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + dir.resolve("profile"), "--window-size=1000,700",
                    "--virtual-time-budget=3000", "--screenshot=" + screenshot, page);
            HttpMjpegEndpoint endpoint = app.context().getEndpoint("http-mjpeg:127.0.0.1:" + httpPort.getPort()
                    + "/demo", HttpMjpegEndpoint.class);
            assertThat(endpoint.getFramesSent()).as("frames sent to the browser").isPositive();
        }
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("screenshot").isNotNull();
        assertThat(rowWithBars(image)).as("a row of the screenshot showing the seven bars in order").isNotNegative();
    }

    /** The first row whose runs of bar colours, at least a bar wide, are the seven bars in order; -1 when none is. */
    private static int rowWithBars(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            List<Integer> runs = new ArrayList<>();
            int current = -2;
            int length = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                int bar = barAt(image.getRGB(x, y));
                if (bar == current) {
                    length++;
                    continue;
                }
                if (current >= 0 && length >= MIN_BAR_WIDTH) {
                    runs.add(current);
                }
                current = bar;
                length = 1;
            }
            if (current >= 0 && length >= MIN_BAR_WIDTH) {
                runs.add(current);
            }
            if (runs.equals(List.of(0, 1, 2, 3, 4, 5, 6))) {
                return y;
            }
        }
        return -1;
    }

    private static int barAt(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        for (int i = 0; i < BARS.length; i++) {
            if (Math.abs(r - BARS[i][0]) <= TOLERANCE && Math.abs(g - BARS[i][1]) <= TOLERANCE
                    && Math.abs(b - BARS[i][2]) <= TOLERANCE) {
                return i;
            }
        }
        return -1;
    }
}
