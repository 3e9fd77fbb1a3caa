package dev.mjpegrtp.camel.gstreamer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LogCapture;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route watching an RTSP camera (rtspsrc over TCP, the camera being an rtsp-mjpeg: route fed by a live test source)
 * stops at once, and still sends end of stream through its whole pipeline first: the recording branch beside the
 * appsink finishes its file. Camel suspends a route before it stops it, and the pause makes the camera stop sending
 * (RTSP PAUSE), so the pipeline must get its source playing again for the end of stream to flow; the same goes for a
 * route that is suspended and resumed.
 */
class GstreamerRtspSuspendStopTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    static Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        int port = rtspPort.getPort();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:camera?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                        .routeId("camera")
                        .to("rtsp-mjpeg:127.0.0.1:" + port + "/cam");
                from("gstreamer:viewer?pipeline=RAW(rtspsrc location=rtsp://127.0.0.1:" + port + "/cam protocols=tcp "
                     + "latency=200 ! rtpjpegdepay ! tee name=t ! queue ! qtmux ! filesink location="
                     + dir.resolve("camera.mov") + " t. ! queue)")
                        .routeId("viewer")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void stopsAtOnceAndFinishesTheRecording() throws Exception {
        org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS)
                .until(() -> getMockEndpoint("mock:frames").getReceivedCounter() >= 30);
        List<String> log;
        long stopMillis;
        try (LogCapture capture = LogCapture.start()) {
            long start = System.nanoTime();
            context.getRouteController().stopRoute("viewer");
            stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log = capture.lines();
        }
        System.out.printf("rtspsrc route stopped in %d ms%n", stopMillis);
        assertThat(log).noneMatch(line -> line.contains("did not reach the sinks"))
                .noneMatch(line -> line.contains("stopping without end of stream"));
        assertThat(stopMillis).isLessThan(1500);

        long routed = getMockEndpoint("mock:frames").getReceivedCounter();
        String probed = Ffprobe.videoStream(dir.resolve("camera.mov"), "codec_name,nb_read_frames");
        assertThat(probed).startsWith("mjpeg,");
        assertThat(Long.parseLong(probed.substring("mjpeg,".length()))).isGreaterThanOrEqualTo(routed);
    }

    @Test
    void resumePlaysTheCameraAgain() throws Exception {
        org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS)
                .until(() -> getMockEndpoint("mock:frames").getReceivedCounter() >= 30);
        context.getRouteController().suspendRoute("viewer");
        Thread.sleep(500); // the camera has paused: a resume that left rtspsrc paused would bring no frame back
        long atResume = getMockEndpoint("mock:frames").getReceivedCounter();
        context.getRouteController().resumeRoute("viewer");
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> getMockEndpoint("mock:frames").getReceivedCounter() >= atResume + 30);
    }
}
