package dev.mjpegrtp.app;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gstreamer: consumer's pooled frame arrays with the asynchronous rtp-mjpeg producer: each frame's packets are
 * written on Netty's thread while the consumer holds the next frame back, and the array is reused once they are. A
 * moving ball makes every frame different and differently sized, so a frame overwritten in the reused array before its
 * last packet went out would arrive with another frame's bytes.
 * Every frame received must carry, byte for byte, the scan of one of the frames jpegenc makes of the same source, in
 * order.
 */
class ReusedFrameBufferRoundTripTest {

    private static final int FRAMES = 90;
    private static final String SOURCE = "videotestsrc is-live=true pattern=ball num-buffers=" + FRAMES + " ! "
            + "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! jpegenc quality=85";

    @TempDir
    Path dir;

    @Test
    void everyFrameArrivesAsJpegencMadeIt() throws Exception {
        List<ByteBuffer> expectedScans = new ArrayList<>();
        for (byte[] jpeg : TestImages.gstJpegSequence(dir, "ball", 640, 360, FRAMES)) {
            expectedScans.add(scanOf(jpeg));
        }
        int port = LocalPorts.freeRtpPort();
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Room for every frame in the receiving route too: the frames the source queued while the sending
                    // route warmed up arrive in a burst, which this receiver is not here to drop.
                    from("rtp-mjpeg:127.0.0.1:" + port + "?maxPendingFrames=" + FRAMES)
                            .process(exchange -> received.add(exchange.getIn().getBody(byte[].class)));
                    // Room in the appsink for every frame: the first ones reach a route still warming up, and a
                    // frame dropped at the source is one fewer to check.
                    from("gstreamer:ball?drop=false&maxBuffers=" + FRAMES + "&pipeline=RAW(" + SOURCE + ")")
                            .process("jpegToRfc2435")
                            .to("rtp-mjpeg:127.0.0.1:" + port);
                }
            });
            camel.start();
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(3)).until(() -> received.size() >= FRAMES - 5);
        }

        assertThat(received.size()).as("frames received of %d", FRAMES).isGreaterThanOrEqualTo(FRAMES - 5);
        int next = 0;
        for (int i = 0; i < received.size(); i++) {
            ByteBuffer scan = scanOf(received.get(i));
            int match = expectedScans.subList(next, FRAMES).indexOf(scan);
            assertThat(match).as("received frame %d is one of jpegenc's frames %d.., in order", i, next).isNotNegative();
            next += match + 1;
        }
    }

    private static ByteBuffer scanOf(byte[] jpeg) {
        JpegFrame frame = new JpegParser().parse(jpeg);
        return ByteBuffer.wrap(frame.data(), frame.scanOffset(), frame.scanLength());
    }
}
