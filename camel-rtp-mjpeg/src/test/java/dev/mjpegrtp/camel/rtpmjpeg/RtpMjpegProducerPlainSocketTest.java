package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import io.netty.channel.epoll.EpollDatagramChannel;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer's packets read with a plain JDK socket: RTP header fields packet by packet, and the SDP it writes. */
class RtpMjpegProducerPlainSocketTest extends CamelTestSupport {

    private static final long FRAME_INTERVAL_NANOS = 33_366_667L; // 29.97 fps

    private final int port = LocalPorts.freeRtpPort();

    @TempDir
    Path dir;

    private DatagramChannel receiver;
    private volatile Thread continuedOn;
    private volatile int datagramsQueued;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:127.0.0.1:" + port + "?mtu=600&sdpFile=" + dir.resolve("out.sdp"));
                from("direct:fixedQ").to("rtp-mjpeg:127.0.0.1:" + port + "?inBandQ=200");
                from("direct:segmented").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcp=false");
                from("direct:oneByOne").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcp=false&segmentationOffload=false");
                from("direct:thenCount").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcp=false")
                        .process(exchange -> {
                            continuedOn = Thread.currentThread();
                            datagramsQueued = drain(receiver);
                        });
            }
        };
    }

    @Test
    void headersFollowRfc3550AndTimestampsFollowThePts() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(320, 240);
        int packetsPerFrame = new Rfc2435Frame(new JpegParser().parse(jpeg), 600).packetCount();
        assertThat(packetsPerFrame).isGreaterThan(3);
        List<RtpHeader> headers = new ArrayList<>();

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(5000);
            socket.setReceiveBufferSize(4 << 20);
            for (int frame = 0; frame < 3; frame++) {
                template.sendBodyAndHeader("direct:send", jpeg, RtpMjpegConstants.PTS, 5_000_000_000L + frame * FRAME_INTERVAL_NANOS);
            }
            byte[] buffer = new byte[2048];
            for (int i = 0; i < 3 * packetsPerFrame; i++) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.receive(datagram);
                assertThat(datagram.getLength()).isLessThanOrEqualTo(600);
                headers.add(new RtpHeader().read(ByteBuffer.wrap(buffer, 0, datagram.getLength()).slice()));
            }
        }

        RtpHeader first = headers.get(0);
        for (int i = 0; i < headers.size(); i++) {
            RtpHeader header = headers.get(i);
            int frame = i / packetsPerFrame;
            assertThat(header.payloadType()).isEqualTo(26);
            assertThat(header.ssrc()).isEqualTo(first.ssrc());
            assertThat(header.sequenceNumber()).isEqualTo((first.sequenceNumber() + i) & 0xFFFF);
            assertThat(header.marker()).as("marker on the last packet of a frame only")
                    .isEqualTo(i % packetsPerFrame == packetsPerFrame - 1);
            // 90 kHz from the PTS: 33.366667 ms is 3003 ticks
            assertThat(header.timestamp() - first.timestamp()).isEqualTo(frame * 3003);
        }

        String sdp = Files.readString(dir.resolve("out.sdp"), StandardCharsets.US_ASCII);
        assertThat(sdp).contains("c=IN IP4 127.0.0.1\r\n", "m=video " + port + " RTP/AVP 26\r\n",
                "a=rtpmap:26 JPEG/90000\r\n", "o=- " + Integer.toUnsignedLong(first.ssrc()) + " ");
    }

    /**
     * UDP segmentation offload hands the kernel runs of equal-size packets in one buffer: the datagrams that arrive
     * must be exactly the codec's packets, as when each is sent on its own.
     */
    @Test
    void segmentedSendsCarryTheCodecsPacketsDatagramForDatagram() throws Exception {
        assertThat(EpollDatagramChannel.isSegmentedDatagramPacketSupported())
                .as("UDP_SEGMENT with the epoll transport (Linux 4.18+): the path under test").isTrue();
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "snow", "snow", "I420", 640, 480, 85));
        Rfc2435Frame frame = new Rfc2435Frame(new JpegParser().parse(jpeg), 1400);
        assertThat(frame.packetCount()).as("more packets than one segmented send carries").isGreaterThan(64);
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer payload = ByteBuffer.allocate(frame.payloadLength(i));
            frame.writePayload(i, payload);
            expected.add(payload.array());
        }

        assertThat(payloadsReceived("direct:segmented", jpeg, frame.packetCount())).containsExactlyElementsOf(expected);
        assertThat(payloadsReceived("direct:oneByOne", jpeg, frame.packetCount())).containsExactlyElementsOf(expected);
    }

    private List<byte[]> payloadsReceived(String route, byte[] jpeg, int packets) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(5000);
            socket.setReceiveBufferSize(4 << 20);
            template.sendBody(route, jpeg);
            byte[] buffer = new byte[65536];
            RtpHeader header = new RtpHeader();
            for (int i = 0; i < packets; i++) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.receive(datagram);
                header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength()).slice());
                assertThat(header.marker()).isEqualTo(i == packets - 1);
                payloads.add(Arrays.copyOfRange(buffer, RtpHeader.LENGTH, datagram.getLength()));
            }
        }
        return payloads;
    }

    /**
     * Unpaced, a frame goes to the kernel from the thread that routes it: the route goes on on that thread, not on the
     * socket's event loop, and by then every packet of the frame waits in the receiver's queue.
     */
    @Test
    void anUnpacedFrameIsInTheKernelBeforeTheRouteGoesOnOnItsOwnThread() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.gstJpeg(dir, "snow", "snow", "I420", 640, 480, 85));
        int packets = new Rfc2435Frame(new JpegParser().parse(jpeg), 1400).packetCount();
        try (DatagramChannel socket = DatagramChannel.open()) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).configureBlocking(false);
            receiver = socket;
            for (int frame = 0; frame < 3; frame++) {
                template.sendBody("direct:thenCount", jpeg);
                assertThat(continuedOn).isSameAs(Thread.currentThread());
                assertThat(datagramsQueued).as("frame " + frame).isEqualTo(packets);
            }
        }
    }

    /** The datagrams waiting in {@code socket}'s queue now, taken out. */
    private static int drain(DatagramChannel socket) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        int datagrams = 0;
        while (socket.receive(buffer.clear()) != null) {
            datagrams++;
        }
        return datagrams;
    }

    /** Tables other than Appendix A's go in-band under the configured Q, with their precision and length. */
    @Test
    void inBandTablesGoOutUnderTheConfiguredQ() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(64, 64);
        jpeg[new JpegParser().parse(jpeg).lumaTableOffset() + 10]++; // no longer any Appendix A table

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            socket.setSoTimeout(5000);
            template.sendBody("direct:fixedQ", jpeg);
            byte[] buffer = new byte[2048];
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            socket.receive(datagram);
            ByteBuffer packet = ByteBuffer.wrap(buffer, 0, datagram.getLength());
            int payload = new RtpHeader().read(packet).payloadOffset();
            assertThat(buffer[payload + 5] & 0xFF).as("Q").isEqualTo(200);
            // quantization table header: MBZ 0, precision 0, length 128
            assertThat(packet.getInt(payload + 8)).isEqualTo(128);
        }
    }
}
