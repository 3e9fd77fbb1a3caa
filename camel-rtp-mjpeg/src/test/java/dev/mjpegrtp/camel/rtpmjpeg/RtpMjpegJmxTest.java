package dev.mjpegrtp.camel.rtpmjpeg;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer's and consumer's counters as an operator reads them: JMX attributes of Camel's MBeans. */
class RtpMjpegJmxTest extends CamelTestSupport {

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcp=false");
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive").to("mock:frames");
            }
        };
    }

    @Test
    void countersAreManagedAttributes() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(3);
        for (int i = 0; i < 3; i++) {
            template.sendBody("direct:send", JavaJpegs.baseline(160, 120));
        }
        assertThat(template.send("direct:send", e -> e.getIn().setBody(new byte[] {1, 2, 3})).isFailed()).isTrue();
        frames.assertIsSatisfied(5000);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> producers = server.queryNames(new ObjectName("org.apache.camel:type=producers,*"), null);
        ObjectName producer = producers.stream().filter(n -> n.toString().contains("RtpMjpegProducer")).findFirst()
                .orElseThrow(() -> new AssertionError("no RtpMjpegProducer MBean in " + producers));
        assertThat(server.getAttribute(producer, "FramesSent")).isEqualTo(3L);
        assertThat(server.getAttribute(producer, "FramesRejected")).isEqualTo(1L);
        assertThat((Long) server.getAttribute(producer, "PacketsSent")).isGreaterThanOrEqualTo(3L);

        Set<ObjectName> consumers = server.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        ObjectName consumer = consumers.stream().filter(n -> n.toString().contains("RtpMjpegConsumer")).findFirst()
                .orElseThrow(() -> new AssertionError("no RtpMjpegConsumer MBean in " + consumers));
        assertThat(server.getAttribute(consumer, "FramesReceived")).isEqualTo(3L);
        assertThat(server.getAttribute(consumer, "FramesLost")).isEqualTo(0L);
    }

    /** A stream for two seconds: the current rate and last frame size on both sides, and each frame's packets. */
    @Test
    void currentFrameRateAndLastFrameSize() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(640, 480);
        Rfc2435Frame packets = new Rfc2435Frame(new JpegParser().parse(jpeg), 1400);
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(60);
        long start = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            long due = start + i * 33_333_333L;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            template.sendBodyAndHeader("direct:send", jpeg, RtpMjpegConstants.PTS, due);
        }
        frames.assertIsSatisfied(5000);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName producer = mbean(server, "producers", "RtpMjpegProducer");
        ObjectName consumer = mbean(server, "consumers", "RtpMjpegConsumer");
        // The rate itself is FrameRateMeterTest's: a loaded test machine sends these frames in bursts.
        assertThat((Double) server.getAttribute(producer, "CurrentFps")).isPositive();
        assertThat((Double) server.getAttribute(consumer, "CurrentFps")).isPositive();
        assertThat(server.getAttribute(producer, "LastFrameSize")).isEqualTo(packets.totalPayloadLength());
        byte[] received = frames.getReceivedExchanges().get(59).getIn().getBody(byte[].class);
        assertThat(server.getAttribute(consumer, "LastFrameSize")).isEqualTo(received.length);

        for (var exchange : frames.getReceivedExchanges()) {
            int first = exchange.getIn().getHeader(RtpMjpegConstants.FIRST_SEQUENCE_NUMBER, Integer.class);
            int last = exchange.getIn().getHeader(RtpMjpegConstants.LAST_SEQUENCE_NUMBER, Integer.class);
            assertThat((last - first + 1) & 0xFFFF).as("packets of the frame").isEqualTo(packets.packetCount());
        }
        Thread.sleep(2500);
        assertThat((Double) server.getAttribute(consumer, "CurrentFps")).as("a stream that stopped").isZero();
    }

    private static ObjectName mbean(MBeanServer server, String type, String className) throws Exception {
        return server.queryNames(new ObjectName("org.apache.camel:type=" + type + ",*"), null).stream()
                .filter(n -> n.toString().contains(className)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + className + " MBean"));
    }
}
