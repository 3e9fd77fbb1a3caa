package dev.mjpegrtp.camel.rtsp;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2560x1440 frame, wider than the 2040 pixels RFC 2435's header holds: the packets say width 0, DESCRIBE announces
 * {@code a=x-dimensions:2560,1440}, and GStreamer's rtspsrc hands that to rtpjpegdepay, which decodes every frame to
 * exactly what jpegdec makes of the source. FFmpeg 5.1 ignores the attribute ("Picture size 0x1440 is invalid") and
 * cannot watch such a stream, so it is not a viewer here; the component docs say so. A second path sends the same
 * frames with the ONVIF JPEG header extension: rtspsrc skips it and decodes the same pixels, and the first packet of
 * each frame carries the SOF with the real size.
 */
class RtspMjpegOverHeaderDimensionsTest extends CamelTestSupport {

    private static final int WIDTH = 2560;
    private static final int HEIGHT = 1440;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();
    private final int port = rtspPort.getPort();

    @TempDir
    Path dir;

    private Path source;
    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                context.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                from("direct:wide").process("jpegToRfc2435")
                        .to("rtsp-mjpeg:127.0.0.1:" + port + "/wide")
                        .to("rtsp-mjpeg:127.0.0.1:" + port + "/wide-onvif?onvifHeaderExtension=true");
            }
        };
    }

    @BeforeEach
    void startFeed() throws Exception {
        source = TestImages.gstJpeg(dir, "wide", "smpte", "I420", WIDTH, HEIGHT, 85);
        feed = FrameFeed.start(template, "direct:wide", List.of(Files.readAllBytes(source)), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        if (feed != null) {
            feed.close();
        }
    }

    @Test
    void describeAnnouncesTheSizeOutOfBand() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", port, "wide")) {
            String sdp = client.request("DESCRIBE", client.url(), "Accept: application/sdp").expect(200).body();
            assertThat(sdp).contains("a=x-dimensions:" + WIDTH + "," + HEIGHT + "\r\n", "a=rtpmap:26 JPEG/90000\r\n");
        }
    }

    @ParameterizedTest(name = "rtspsrc over {0} from /{1}")
    @CsvSource({"udp,wide", "tcp,wide", "udp,wide-onvif", "tcp,wide-onvif"})
    void rtspsrcDecodesTheSourcesPixels(String transport, String path) throws Exception {
        byte[] expected = TestImages.gstDecodeI420(source);
        assertThat(expected).hasSize(WIDTH * HEIGHT * 3 / 2);
        Path frames = Files.createDirectories(dir.resolve("frames"));
        try (ExternalTools.Peer gst = RtspViewers.gstDecoding(dir.resolve("gst.log"),
                "rtsp://127.0.0.1:" + port + "/" + path, transport, frames)) {
            for (byte[] decoded : RtspViewers.awaitDecodedFrames(gst, frames, 3, expected.length, Duration.ofSeconds(30))) {
                Pixels.assertIdentical(decoded, expected, WIDTH + "x" + HEIGHT + " frame jpegdec decoded over " + transport);
            }
        }
    }

    @Test
    void theFirstPacketOfEachFrameCarriesTheSofInTheOnvifExtension() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", port, "wide-onvif")) {
            client.playInterleaved();
            int firstPackets = 0;
            for (int markers = 0; markers < 2; ) {
                RtspTestClient.Interleaved packet = client.readInterleaved();
                if (packet.channel() != 0) {
                    continue; // RTCP
                }
                ByteBuffer rtp = ByteBuffer.wrap(packet.data());
                boolean extension = (rtp.get(0) & 0x10) != 0;
                int headerLength = 12 + (extension ? 4 + 4 * (rtp.getShort(14) & 0xFFFF) : 0);
                int fragmentOffset = rtp.getInt(headerLength) & 0xFFFFFF;
                if (markers > 0 || fragmentOffset == 0) { // from the first whole frame on
                    assertThat(extension).as("X bit at fragment offset " + fragmentOffset).isEqualTo(fragmentOffset == 0);
                }
                if (extension) {
                    // 0xFFD8, 5 words; SOF0: 1440 x 2560, Y 2x2, Cb and Cr 1x1; one 0xFF of padding
                    assertThat(HexFormat.of().formatHex(packet.data(), 12, headerLength))
                            .isEqualTo("ffd80005" + "ffc0001108" + "05a0" + "0a00" + "03012200021101031101" + "ff");
                    firstPackets++;
                }
                if ((rtp.get(1) & 0x80) != 0 && firstPackets > 0) {
                    markers++;
                }
            }
            assertThat(firstPackets).isEqualTo(2);
        }
    }
}
