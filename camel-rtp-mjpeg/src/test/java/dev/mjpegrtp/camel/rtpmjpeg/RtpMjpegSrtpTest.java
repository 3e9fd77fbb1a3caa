package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.mjpegrtp.srtp.SrtpMasterKey;
import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FfmpegSdpReceiver;
import dev.mjpegrtp.testing.GstRtpJpegReceiver;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SRTP on rtp-mjpeg: with real peers. GStreamer's {@code srtpdec} and FFmpeg (from the SDP file's {@code a=crypto})
 * decode our producer's stream to the source's pixels; our consumer decodes GStreamer's {@code srtpenc}; between our
 * producer and our consumer, a relay that sends altered copies and replays of real packets gets each one dropped and
 * counted while every frame goes through; and the key appears in no log line.
 */
class RtpMjpegSrtpTest extends CamelTestSupport {

    private static final long SSRC = 0x5EC0_0001L;
    private static final int FRAMES = 20;
    private static final int RTCP_INTERVAL = 200;

    private final SrtpMasterKey key = SrtpMasterKey.random(new SecureRandom());
    private final int producerPort = LocalPorts.freeRtpPort();
    private final int consumerPort = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:127.0.0.1:" + producerPort + "?ssrc=" + SSRC + "&srtpKey="
                        + key.inline() + "&sdpFile=" + dir.resolve("stream.sdp") + "&rtcpInterval=" + RTCP_INTERVAL);
                // The other send path: paced batches on the event loop, a datagram per packet.
                from("direct:sendPaced").to("rtp-mjpeg:127.0.0.1:" + producerPort + "?srtpKey=" + key.inline()
                        + "&segmentationOffload=false&pacing=0.5");
                from("rtp-mjpeg:127.0.0.1:" + consumerPort + "?maxPendingFrames=" + FRAMES + "&srtpKey="
                        + key.inline()).routeId("consumer").to("mock:frames");
            }
        };
    }

    /**
     * srtpdec decodes the video to the source's pixels, and the sender reports that come as SRTCP on port + 1: it
     * passes on only what it authenticated and decrypted, where our CNAME then shows.
     */
    @Test
    void gstreamerSrtpdecDecodesOurStreamToTheSourcePixelsAndOurSrtcp() throws Exception {
        Path source = TestImages.gstJpeg(dir, "source", "smpte", "I420", 320, 240, 85);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);
        List<byte[]> frames;
        byte[] rtcp;
        try (GstRtpJpegReceiver receiver = GstRtpJpegReceiver.srtp(dir.resolve("received"), producerPort,
                Base64.getDecoder().decode(key.inline()), SSRC)) {
            frames = receiver.awaitFrames(3, expected.length, Duration.ofSeconds(30),
                    () -> template.sendBody("direct:send", jpeg));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                Thread.sleep(RTCP_INTERVAL);
                rtcp = Files.exists(receiver.rtcpFile()) ? Files.readAllBytes(receiver.rtcpFile()) : new byte[0];
            } while (rtcp.length == 0 && System.nanoTime() < deadline);
        }
        for (int i = 0; i < frames.size(); i++) {
            Pixels.assertIdentical(frames.get(i), expected, "frame " + i + " decoded by srtpdec ! rtpjpegdepay ! jpegdec");
        }
        assertThat(rtcp).as("RTCP decrypted by srtpdec").isNotEmpty();
        assertThat(rtcp[1] & 0xFF).as("a sender report first").isEqualTo(200);
        assertThat(Integer.toUnsignedLong(ByteBuffer.wrap(rtcp).getInt(4))).isEqualTo(SSRC);
        assertThat(new String(rtcp, StandardCharsets.ISO_8859_1)).contains("mjpeg-rtp@");
    }

    @Test
    void ffmpegDecodesOurStreamFromTheSdpsCryptoAttribute() throws Exception {
        Path source = TestImages.gstJpeg(dir, "source", "smpte", "I420", 320, 240, 85);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path sdp = dir.resolve("stream.sdp");
        assertThat(Files.readString(sdp)).contains("m=video " + producerPort + " RTP/SAVP 26\r\n",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key.inline() + "\r\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sdp))).as("a file holding the key")
                .isEqualTo("rw-------");

        List<byte[]> frames = FfmpegSdpReceiver.decode(sdp, dir, 3, expected.length,
                () -> template.sendBody("direct:send", jpeg));
        for (int i = 0; i < frames.size(); i++) {
            Pixels.assertIdentical(frames.get(i), expected, "frame " + i + " decoded by ffmpeg -i stream.sdp");
        }
    }

    @Test
    void ourConsumerDecodesGstreamerSrtpencPixelExact() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(FRAMES);
        Path sent = Files.createDirectories(dir.resolve("sent"));

        ExternalTools.run(Duration.ofSeconds(60), "gst-launch-1.0", "-q",
                "videotestsrc", "is-live=true", "num-buffers=" + FRAMES, "pattern=ball",
                "!", "video/x-raw,format=I420,width=320,height=240,framerate=20/1", "!", "jpegenc", "quality=70",
                "!", "tee", "name=t",
                "t.", "!", "queue", "!", "rtpjpegpay", "mtu=1400",
                "!", "srtpenc", "key=" + HexFormat.of().formatHex(Base64.getDecoder().decode(key.inline())),
                "!", "udpsink", "host=127.0.0.1", "port=" + consumerPort,
                "t.", "!", "queue", "!", "multifilesink", "location=" + sent.resolve("%05d.jpg"));

        frames.assertIsSatisfied(10_000);
        List<Path> sentFiles;
        try (Stream<Path> files = Files.list(sent)) {
            sentFiles = files.sorted().toList();
        }
        assertThat(sentFiles).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            Path received = dir.resolve("received-" + i + ".jpg");
            Files.write(received, frames.getReceivedExchanges().get(i).getIn().getBody(byte[].class));
            Pixels.assertIdentical(TestImages.gstDecodeI420(received), TestImages.gstDecodeI420(sentFiles.get(i)),
                    "frame " + i + " from srtpenc as received by rtp-mjpeg:");
        }
        assertThat(srtpConsumer().getSrtpAuthenticationFailures()).isZero();
        assertThat(srtpConsumer().getSrtpReplaysRejected()).isZero();
    }

    /**
     * Our producer to our consumer through a relay that, before some packets, sends a copy with one bit of its
     * payload or of its tag flipped, and after others the packet again: each copy is dropped and counted, no frame is
     * lost, and the key is in no log line. Both send paths: unpaced, segmented sends from the caller's thread; paced,
     * a datagram per packet from the event loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"direct:send", "direct:sendPaced"})
    void alteredAndReplayedPacketsAreDroppedAndCountedWhileTheStreamGoesOn(String sender) throws Exception {
        Path source = TestImages.gstJpeg(dir, "source", "smpte", "I420", 320, 240, 85);
        byte[] jpeg = Files.readAllBytes(source);
        byte[] expected = TestImages.gstDecodeI420(source);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(FRAMES);
        AtomicInteger forged = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger relayed = new AtomicInteger();

        try (LogCapture log = LogCapture.start();
             DatagramSocket relay = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     producerPort))) {
            relay.setSoTimeout(100);
            InetSocketAddress consumerAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), consumerPort);
            Thread relaying = new Thread(() -> {
                byte[] buffer = new byte[2048];
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                while (!relay.isClosed()) {
                    try {
                        datagram.setLength(buffer.length);
                        relay.receive(datagram);
                        byte[] packet = Arrays.copyOf(datagram.getData(), datagram.getLength());
                        int n = relayed.getAndIncrement();
                        if (n % 5 == 2) {
                            relay.send(new DatagramPacket(flipped(packet, 12 + n % (packet.length - 22)),
                                    packet.length, consumerAddress));
                            forged.incrementAndGet();
                        } else if (n % 5 == 4) {
                            relay.send(new DatagramPacket(flipped(packet, packet.length - 1 - n % 10),
                                    packet.length, consumerAddress));
                            forged.incrementAndGet();
                        }
                        relay.send(new DatagramPacket(packet, packet.length, consumerAddress));
                        if (n % 7 == 1) {
                            relay.send(new DatagramPacket(packet, packet.length, consumerAddress));
                            replayed.incrementAndGet();
                        }
                    } catch (SocketTimeoutException e) {
                        // poll again until closed
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "srtp-relay");
            relaying.start();
            for (int i = 0; i < FRAMES; i++) {
                template.sendBody(sender, jpeg);
                Thread.sleep(30);
            }
            frames.assertIsSatisfied(10_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (srtpConsumer().getSrtpAuthenticationFailures() + srtpConsumer().getSrtpReplaysRejected()
                    < forged.get() + replayed.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            relay.close();
            relaying.join();

            assertThat(forged.get()).isPositive();
            assertThat(replayed.get()).isPositive();
            assertThat(srtpConsumer().getSrtpAuthenticationFailures()).as("altered copies").isEqualTo(forged.get());
            assertThat(srtpConsumer().getSrtpReplaysRejected()).as("replays").isEqualTo(replayed.get());
            assertThat(srtpConsumer().getFramesLost()).isZero();
            for (int i = 0; i < FRAMES; i++) {
                Exchange exchange = frames.getReceivedExchanges().get(i);
                Path received = dir.resolve("received-" + i + ".jpg");
                Files.write(received, exchange.getIn().getBody(byte[].class));
                Pixels.assertIdentical(TestImages.gstDecodeI420(received), expected, "frame " + i);
            }
            String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(key.inline()));
            assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(key.inline())
                    || line.toLowerCase().contains(hex));
        }
        assertThat(context.getEndpoints()).allSatisfy(endpoint -> assertThat(endpoint.toString())
                .doesNotContain(key.inline()));
    }

    private RtpMjpegConsumer srtpConsumer() {
        return (RtpMjpegConsumer) context.getRoute("consumer").getConsumer();
    }

    private static byte[] flipped(byte[] packet, int at) {
        byte[] copy = packet.clone();
        copy[at] ^= 0x10;
        return copy;
    }
}
