package dev.mjpegrtp.camel.gstreamer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the route sends end of stream through the whole pipeline before NULL, so a recording branch beside the
 * appsink finishes its file: a QuickTime (or MP4) file gets its index (moov) only at end of stream and is unreadable
 * without it.
 */
class GstreamerGracefulStopTest extends CamelTestSupport {

    @TempDir
    static Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:teed?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc ! tee name=t ! "
                     + "queue ! qtmux ! filesink location=" + dir.resolve("side.mov") + " t. ! queue)")
                        .routeId("teed")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void stopFinishesTheRecordingBranch() throws Exception {
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> getMockEndpoint("mock:frames").getReceivedCounter() >= 15);
        context.getRouteController().stopRoute("teed");
        long routed = getMockEndpoint("mock:frames").getReceivedCounter();

        String probed = Ffprobe.videoStream(dir.resolve("side.mov"), "codec_name,nb_read_frames");
        assertThat(probed).startsWith("mjpeg,");
        // The recording branch saw every frame the route saw, and those that came while the route stopped.
        assertThat(Long.parseLong(probed.substring("mjpeg,".length()))).isGreaterThanOrEqualTo(routed);
    }
}
