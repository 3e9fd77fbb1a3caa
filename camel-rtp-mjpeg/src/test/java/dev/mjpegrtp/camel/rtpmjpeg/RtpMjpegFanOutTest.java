package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

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
 * One source to 16 unicast receivers with Camel's multicast EIP: every receiver gets every frame, and every
 * destination is a stream of its own (its own SSRC). The processor parses the frame once; all 16 producers packetize
 * the same bytes.
 */
class RtpMjpegFanOutTest extends CamelTestSupport {

    private static final int RECEIVERS = 16;
    private static final int FRAMES = 30;

    private final int[] ports = IntStream.range(0, RECEIVERS).map(i -> LocalPorts.freeRtpPort()).toArray();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String[] destinations = IntStream.of(ports).mapToObj(p -> "rtp-mjpeg:127.0.0.1:" + p + "?rtcp=false")
                        .toArray(String[]::new);
                from("direct:send").process(new JpegToRfc2435Processor()).multicast().to(destinations);
                for (int i = 0; i < RECEIVERS; i++) {
                    from("rtp-mjpeg:127.0.0.1:" + ports[i]).to("mock:receiver" + i);
                }
            }
        };
    }

    @Test
    void everyReceiverGetsEveryFrame() throws Exception {
        List<MockEndpoint> receivers = new ArrayList<>();
        for (int i = 0; i < RECEIVERS; i++) {
            MockEndpoint receiver = getMockEndpoint("mock:receiver" + i);
            receiver.expectedMessageCount(FRAMES);
            receivers.add(receiver);
        }
        byte[] jpeg = JavaJpegs.baseline(640, 480);
        for (int i = 0; i < FRAMES; i++) {
            template.sendBody("direct:send", jpeg);
            Thread.sleep(33); // a 30 fps source
        }
        MockEndpoint.assertIsSatisfied(10_000, java.util.concurrent.TimeUnit.MILLISECONDS,
                receivers.toArray(MockEndpoint[]::new));

        List<Long> ssrcs = receivers.stream()
                .map(r -> r.getReceivedExchanges().get(0))
                .map((Exchange e) -> e.getIn().getHeader(RtpMjpegConstants.SSRC, Long.class))
                .distinct().toList();
        assertThat(ssrcs).as("one stream per destination").hasSize(RECEIVERS);
        for (MockEndpoint receiver : receivers) {
            assertThat(receiver.getReceivedExchanges().get(FRAMES - 1).getIn().getBody(byte[].class))
                    .as("frame decodes to the source").satisfies(b -> assertThat(JavaJpegs.decode(b)).isEqualTo(JavaJpegs.decode(jpeg)));
        }
    }
}
