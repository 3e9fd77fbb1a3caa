package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our producer to our consumer through a relay that drops 5 % of the packets and swaps 10 % of neighbours: every
 * frame the consumer emits is exactly one of the frames sent (same scan bytes), swapped packets are put in their place
 * by fragment offset, and frames with a lost packet are counted, never emitted.
 */
class RtpMjpegConsumerLossyNetworkTest extends CamelTestSupport {

    private static final int FRAMES = 150;

    private final int relayPort = LocalPorts.freeRtpPort();
    private final int consumerPort = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:127.0.0.1:" + relayPort + "?rtcp=false&mtu=600");
                from("rtp-mjpeg:127.0.0.1:" + consumerPort).routeId("receive").to("mock:frames");
            }
        };
    }

    @Test
    void neverEmitsACorruptFrame() throws Exception {
        List<byte[]> sources = List.of(JavaJpegs.baseline(320, 240), JavaJpegs.baseline(256, 192),
                JavaJpegs.baseline(192, 144));
        JpegParser parser = new JpegParser();
        List<ByteBuffer> scans = new ArrayList<>();
        for (byte[] source : sources) {
            JpegFrame frame = parser.parse(source);
            scans.add(ByteBuffer.wrap(source, frame.scanOffset(), frame.scanLength()));
        }

        AtomicBoolean relaying = new AtomicBoolean(true);
        AtomicInteger dropped = new AtomicInteger();
        AtomicInteger swapped = new AtomicInteger();
        Thread relay = new Thread(() -> relay(relaying, dropped, swapped), "lossy-relay");
        MockEndpoint frames = getMockEndpoint("mock:frames");
        try (AutoCloseable stop = () -> {
            relaying.set(false);
            relay.join();
        }) {
            relay.start();
            for (int i = 0; i < FRAMES; i++) {
                template.sendBody("direct:send", sources.get(i % sources.size()));
                Thread.sleep(5); // spacing, so that frames do not pile up in the relay
            }
            RtpMjpegConsumer consumer = (RtpMjpegConsumer) context.getRoute("receive").getConsumer();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> consumer.getFramesReceived() + consumer.getFramesLost() >= FRAMES - 1);
        }

        assertThat(dropped.get()).as("the relay dropped packets").isGreaterThan(0);
        assertThat(swapped.get()).as("the relay swapped packets").isGreaterThan(0);
        List<Exchange> received = frames.getReceivedExchanges();
        assertThat(received).as("some frames survive a 5 % loss").hasSizeGreaterThan(FRAMES / 4);
        assertThat(received.size()).as("some frames are lost").isLessThan(FRAMES);
        for (Exchange exchange : received) {
            byte[] jpeg = exchange.getIn().getBody(byte[].class);
            JpegFrame frame = parser.parse(jpeg);
            assertThat(scans).as("an emitted frame is one of those sent")
                    .contains(ByteBuffer.wrap(jpeg, frame.scanOffset(), frame.scanLength()));
        }
    }

    private void relay(AtomicBoolean relaying, AtomicInteger dropped, AtomicInteger swapped) {
        Random random = new Random(435);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), consumerPort);
        try (DatagramSocket in = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort));
             DatagramSocket out = new DatagramSocket()) {
            in.setSoTimeout(100);
            in.setReceiveBufferSize(4 << 20);
            DatagramPacket held = null;
            while (relaying.get()) {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                try {
                    in.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                packet.setSocketAddress(target);
                if (random.nextInt(100) < 5) {
                    dropped.incrementAndGet();
                } else if (held == null && random.nextInt(100) < 10) {
                    held = packet; // sent after the next one
                    swapped.incrementAndGet();
                } else {
                    out.send(packet);
                    if (held != null) {
                        out.send(held);
                        held = null;
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
