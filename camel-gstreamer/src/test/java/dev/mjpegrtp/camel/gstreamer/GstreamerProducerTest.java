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
 * Frames from a route recorded by an appsrc pipeline into an AVI file, which FFmpeg's ffprobe then reads back with
 * every frame: the end of stream sent on stop lets avimux write its index.
 */
class GstreamerProducerTest extends CamelTestSupport {

    private static final int FRAMES = 20;

    @TempDir
    static Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Room in the appsink for every frame: the first frames reach a route still warming up (class loading,
                // the recorder's first buffers), and none may be dropped.
                from("gstreamer:source?maxBuffers=" + FRAMES + "&pipeline=RAW(videotestsrc is-live=true num-buffers=" + FRAMES + " pattern=ball ! "
                     + "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc)")
                        .routeId("source")
                        .to("direct:record");
                from("direct:record").routeId("record")
                        .to("gstreamer:recorder?caps=RAW(image/jpeg,framerate=30/1)&pipeline=RAW(appsrc ! jpegparse ! avimux ! "
                            + "filesink location=" + dir.resolve("recording.avi") + ")");
            }
        };
    }

    @Test
    void recordingHoldsEveryFrame() throws Exception {
        GstreamerConsumer source = (GstreamerConsumer) context.getRoute("source").getConsumer();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> source.getFramesEmitted() == FRAMES);
        context.getRouteController().stopRoute("record");

        assertThat(Ffprobe.videoStream(dir.resolve("recording.avi"), "codec_name,width,height,nb_read_frames"))
                .isEqualTo("mjpeg,320,240," + FRAMES);
    }
}
