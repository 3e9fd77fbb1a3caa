package dev.mjpegrtp.camel.rtpmjpeg;

import java.time.Duration;
import java.util.List;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtpSenderSocket;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whom a consumer listens to, with real senders at two loopback addresses: the stream locks onto its source address
 * together with its SSRC, so packets forging the SSRC from elsewhere never reach a frame; allowedSenders drops
 * everyone it does not name; a silent stream's successor is followed from the same IP address, from another only when
 * allowedSenders names it.
 */
class RtpMjpegConsumerSenderLockTest extends CamelTestSupport {

    private static final int SSRC = 0x5EED;
    private static final int FRAMES = 30;

    private final int lockedPort = LocalPorts.freeRtpPort();
    private final int filteredPort = LocalPorts.freeRtpPort();
    private final int trustingPort = LocalPorts.freeRtpPort();
    private final byte[] good = JavaJpegs.baseline(320, 240);
    private final byte[] forged = JavaJpegs.baselineInverted(320, 240);

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Room for every frame: a cold route's first exchanges on a busy machine take longer than the 5 ms
                // between frames, and the drop-when-behind policy is not what this test checks.
                from("rtp-mjpeg:127.0.0.1:" + lockedPort + "?sourceTimeout=300&maxPendingFrames=" + FRAMES)
                        .routeId("locked").to("mock:locked");
                from("rtp-mjpeg:127.0.0.1:" + filteredPort + "?allowedSenders=127.0.0.2").routeId("filtered")
                        .to("mock:filtered");
                from("rtp-mjpeg:127.0.0.1:" + trustingPort + "?sourceTimeout=300&allowedSenders=127.0.0.1/32,127.0.0.2")
                        .routeId("trusting").to("mock:trusting");
            }
        };
    }

    @Test
    void packetsForgingTheStreamsSsrcFromAnotherAddressAreRejectedAndTheStreamIsDeliveredPixelPerfect() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:locked");
        frames.expectedMessageCount(FRAMES);
        int forgedPackets = 0;
        try (RtpSenderSocket camera = new RtpSenderSocket("127.0.0.1", lockedPort, SSRC);
             RtpSenderSocket otherHost = new RtpSenderSocket("127.0.0.2", lockedPort, SSRC);
             RtpSenderSocket otherPort = new RtpSenderSocket("127.0.0.1", lockedPort, SSRC)) {
            camera.sendFrame(good);
            for (int i = 1; i < FRAMES; i++) {
                // The forger knows the stream: its SSRC, the next sequence numbers and the next frame's timestamp.
                for (RtpSenderSocket forger : List.of(otherHost, otherPort)) {
                    for (byte[] packet : forger.packets(forged, camera.nextSequence(), camera.nextTimestamp())) {
                        forger.send(packet);
                        forgedPackets++;
                    }
                }
                camera.sendFrame(good);
                Thread.sleep(5);
            }
            frames.assertIsSatisfied(10_000);
        }

        int[] expected = JavaJpegs.decode(good);
        for (Exchange exchange : frames.getReceivedExchanges()) {
            Pixels.assertIdentical(toBytes(JavaJpegs.decode(exchange.getIn().getBody(byte[].class))), toBytes(expected),
                    "frame " + exchange.getIn().getHeader(RtpMjpegConstants.FIRST_SEQUENCE_NUMBER));
        }
        assertThat(consumer("locked").getPacketsRejected()).as("forged packets rejected").isEqualTo(forgedPackets);
        assertThat(consumer("locked").getFramesLost()).isZero();
    }

    @Test
    void allowedSendersDropsEveryoneItDoesNotName() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:filtered");
        frames.expectedMessageCount(3);
        int refused = 0;
        try (RtpSenderSocket stranger = new RtpSenderSocket("127.0.0.1", filteredPort, SSRC);
             RtpSenderSocket camera = new RtpSenderSocket("127.0.0.2", filteredPort, SSRC + 1)) {
            for (int i = 0; i < 3; i++) {
                refused += stranger.sendFrame(good); // first, so that the stream would lock onto it if it could
                camera.sendFrame(good);
            }
            frames.assertIsSatisfied(10_000);
        }
        assertThat(frames.getReceivedExchanges()).extracting(e -> e.getIn().getHeader(RtpMjpegConstants.SSRC))
                .containsOnly((long) SSRC + 1);
        assertThat(consumer("filtered").getPacketsRejected()).isEqualTo(refused);
    }

    @Test
    void aSuccessorFromAnotherAddressIsFollowedOnlyWhenAllowedSendersNamesIt() throws Exception {
        MockEndpoint locked = getMockEndpoint("mock:locked");
        MockEndpoint trusting = getMockEndpoint("mock:trusting");
        try (RtpSenderSocket first = new RtpSenderSocket("127.0.0.1", lockedPort, SSRC);
             RtpSenderSocket firstToTrusting = new RtpSenderSocket("127.0.0.1", trustingPort, SSRC)) {
            first.sendFrame(good);
            firstToTrusting.sendFrame(good);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> locked.getReceivedCounter() == 1 && trusting.getReceivedCounter() == 1);
        }
        Thread.sleep(600); // silence beyond sourceTimeout (300 ms)

        try (RtpSenderSocket otherHost = new RtpSenderSocket("127.0.0.2", lockedPort, SSRC + 2);
             RtpSenderSocket otherHostToTrusting = new RtpSenderSocket("127.0.0.2", trustingPort, SSRC + 2)) {
            for (int i = 0; i < 3; i++) {
                otherHost.sendFrame(good);
                otherHostToTrusting.sendFrame(good);
            }
            // The first packet starts the successor's validation and is not kept, so its first frame is incomplete.
            await().atMost(Duration.ofSeconds(5)).until(() -> trusting.getReceivedCounter() == 3);
            Thread.sleep(300);
            assertThat(locked.getReceivedCounter()).as("frames from another host without allowedSenders").isEqualTo(1);
        }
        assertThat(trusting.getReceivedExchanges()).extracting(e -> e.getIn().getHeader(RtpMjpegConstants.SSRC))
                .containsExactly((long) SSRC, (long) SSRC + 2, (long) SSRC + 2);

        // A successor from the stream's own IP address (a restarted camera, a new port, a new SSRC) is followed.
        try (RtpSenderSocket restarted = new RtpSenderSocket("127.0.0.1", lockedPort, SSRC + 3)) {
            Thread.sleep(600);
            for (int i = 0; i < 3; i++) {
                restarted.sendFrame(good);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> locked.getReceivedCounter() == 3);
        }
        assertThat(locked.getReceivedExchanges()).extracting(e -> e.getIn().getHeader(RtpMjpegConstants.SSRC))
                .containsExactly((long) SSRC, (long) SSRC + 3, (long) SSRC + 3);
    }

    private RtpMjpegConsumer consumer(String routeId) {
        return (RtpMjpegConsumer) context.getRoute(routeId).getConsumer();
    }

    private static byte[] toBytes(int[] pixels) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * pixels.length);
        bytes.asIntBuffer().put(pixels);
        return bytes.array();
    }
}
