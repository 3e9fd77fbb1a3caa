package dev.mjpegrtp.camel.rtpmjpeg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multicast group on the loopback interface (never a real network): our producer sends to it, and our consumer and
 * GStreamer's udpsrc both join it and decode the source's exact pixels.
 */
class RtpMjpegMulticastTest extends CamelTestSupport {

    private static final String GROUP = "239.255.43.21";

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:" + GROUP + ":" + port + "?multicastInterface=lo&ttl=1");
                from("rtp-mjpeg:" + GROUP + ":" + port + "?multicastInterface=lo").to("mock:frames");
            }
        };
    }

    @Test
    void groupMembersReceiveEveryFrame() throws Exception {
        Path source = TestImages.gstJpeg(dir, "source", "smpte", "I420", 320, 240, 85);
        byte[] jpeg = java.nio.file.Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMinimumMessageCount(2);

        Path received = dir.resolve("gst");
        try (ExternalTools.Peer gst = ExternalTools.start(dir.resolve("gst.log"), "gst-launch-1.0", "-q",
                "udpsrc", "address=" + GROUP, "port=" + port, "multicast-iface=lo", "auto-multicast=true",
                "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26",
                "!", "rtpjpegdepay", "!", "jpegdec", "!", "videoconvert", "!", "video/x-raw,format=I420",
                "!", "multifilesink", "location=" + java.nio.file.Files.createDirectories(received).resolve("frame-%05d.i420"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (countFrames(received) < 2 && System.nanoTime() < deadline) {
                template.sendBody("direct:send", jpeg);
                Thread.sleep(50); // a live source's pace
            }
            assertThat(countFrames(received)).as("frames GStreamer decoded from the group:\n" + gst.output())
                    .isGreaterThanOrEqualTo(2);
        }
        frames.assertIsSatisfied(5000);
        Pixels.assertIdentical(java.nio.file.Files.readAllBytes(received.resolve("frame-00000.i420")), expected,
                "frame from the group decoded by GStreamer");
        Path ours = dir.resolve("ours.jpg");
        java.nio.file.Files.write(ours, frames.getReceivedExchanges().get(0).getIn().getBody(byte[].class));
        Pixels.assertIdentical(TestImages.gstDecodeI420(ours), expected, "frame from the group received by rtp-mjpeg:");
    }

    private static long countFrames(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("frame-\\d+\\.i420")).count();
        }
    }
}
