package dev.mjpegrtp.camel.gstreamer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw frames from one gstreamer: route recorded by another whose endpoint says nothing of their format: the producer
 * takes the caps from the frames' CamelGStreamerCaps header, so the recorder encodes 4:2:0 frames of the right size.
 */
class GstreamerProducerCapsFromHeaderTest extends CamelTestSupport {

    private static final int FRAMES = 15;

    @TempDir
    static Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:raw?caps=video/x-raw&maxBuffers=" + FRAMES + "&pipeline=RAW(videotestsrc is-live=true "
                     + "num-buffers=" + FRAMES + " ! video/x-raw,format=I420,width=176,height=144,framerate=15/1)")
                        .routeId("source")
                        .to("direct:record");
                from("direct:record").routeId("record")
                        .to("gstreamer:recorder?pipeline=RAW(appsrc ! videoconvert ! jpegenc ! avimux ! filesink location="
                            + dir.resolve("raw.avi") + ")");
            }
        };
    }

    @Test
    void theRecorderNegotiatesTheFramesOwnCaps() throws Exception {
        GstreamerConsumer source = (GstreamerConsumer) context.getRoute("source").getConsumer();
        await().atMost(10, TimeUnit.SECONDS).until(() -> source.getFramesEmitted() == FRAMES);
        context.getRouteController().stopRoute("record");

        assertThat(Ffprobe.videoStream(dir.resolve("raw.avi"), "codec_name,width,height,nb_read_frames"))
                .isEqualTo("mjpeg,176,144," + FRAMES);
    }
}
