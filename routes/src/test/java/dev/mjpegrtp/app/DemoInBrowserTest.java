package dev.mjpegrtp.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import dev.mjpegrtp.camel.http.HttpMjpegEndpoint;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real browser shows the demo: headless Chromium loads http://127.0.0.1:PORT/demo, whose {@code <img>} is the
 * demo's .mjpeg stream, and its screenshot shows the SMPTE bars: a row of the picture holds the seven 75% bars, white
 * to blue, left to right. And the picture keeps moving: a Chromium left on the page for 10 s of real time is sent the
 * demo's 1080p30 at 25 fps or more.
 */
class DemoInBrowserTest {

    /** videotestsrc's 75% SMPTE bars, left to right: white, yellow, cyan, green, magenta, red, blue. */
    private static final int[][] BARS = {{191, 191, 191}, {191, 191, 0}, {0, 191, 191}, {0, 191, 0}, {191, 0, 191},
        {191, 0, 0}, {0, 0, 191}};
    /** How far a screenshot pixel may be from a bar's colour after JPEG, YUV to RGB and scaling. */
    private static final int TOLERANCE = 48;
    /** A bar of the 640-pixel-wide demo is about 91 pixels wide; a shorter run of one colour is an edge. */
    private static final int MIN_BAR_WIDTH = 40;
    /** How long the browser watches the stream, in real time, for its frame rate. */
    private static final Duration WATCHED = Duration.ofSeconds(10);
    /** The frame rate the browser's connection must be sent, of the demo's 30. */
    private static final double MIN_FPS = 25;

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
                "demo.port", String.valueOf(LocalPorts.freeRtpPort()),
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

    /**
     * Chromium in its new headless mode is a whole browser without a window: with no screenshot to take and no
     * virtual time, it stays on the page, in real time, until it is stopped. The server counts what it wrote to that
     * browser's .mjpeg connection; a viewer that reads slower than the stream is skipped frames (never a backlog), so
     * frames sent are frames the browser took in.
     */
    @Test
    void chromiumIsSentThe1080p30DemoAtFullRate() throws Exception {
        try (RunningApp app = new RunningApp(Map.of(
                "demo.port", String.valueOf(LocalPorts.freeRtpPort()),
                "demo.sdpFile", dir.resolve("stream.sdp").toString(),
                "demo.rtspPort", String.valueOf(rtspPort.getPort()),
                "demo.httpPort", String.valueOf(httpPort.getPort()),
                "demo.width", "1920",
                "demo.height", "1080",
                "demo.framerate", "30"))) {
            HttpMjpegEndpoint endpoint = app.context().getEndpoint("http-mjpeg:127.0.0.1:" + httpPort.getPort()
                    + "/demo", HttpMjpegEndpoint.class);
            try (ExternalTools.Peer chromium = ExternalTools.start(dir.resolve("chromium.log"), "chromium",
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir.resolve("profile"),
                    "--window-size=1000,700", "http://127.0.0.1:" + httpPort.getPort() + "/demo")) {
                // warm-up: the browser has been sent a second's worth, so the window measures it showing the page,
                // not starting up, which takes seconds of both cores
                await().atMost(60, TimeUnit.SECONDS).until(() -> !chromium.isAlive() || endpoint.getFramesSent() >= 30);
                assertThat(chromium.isAlive()).as("chromium running:\n" + chromium.output()).isTrue();
                long sentBefore = endpoint.getFramesSent();
                long publishedBefore = endpoint.getFramesPublished();
                long start = System.nanoTime();
                Thread.sleep(WATCHED.toMillis());
                long sent = endpoint.getFramesSent() - sentBefore;
                long published = endpoint.getFramesPublished() - publishedBefore;
                double seconds = (System.nanoTime() - start) / 1e9;
                double fps = sent / seconds;
                System.out.printf(Locale.ROOT, "chromium was sent %d frames of the 1080p30 demo in %.2f s: %.1f fps "
                        + "(the demo made %d)%n", sent, seconds, fps, published);
                assertThat(endpoint.getViewers()).as("the page's one .mjpeg viewer, still connected").isEqualTo(1);
                assertThat(fps).as("frames a second sent to the browser over " + WATCHED + " (the demo made " + published
                        + " frames)").isGreaterThanOrEqualTo(MIN_FPS);
            }
        }
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
