package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What an operator meets on a real network: a destination the kernel refuses, a multicast interface that is not there. */
class RtpMjpegProducerFaultsTest {

    /**
     * The limited broadcast address without SO_BROADCAST: the kernel refuses every send (EACCES), as it does for a
     * destination with no route. Each frame still completes, the refusals are counted, and the log says so once, not
     * once per packet.
     */
    @Test
    void refusedSendsAreCountedAndNeitherFailTheRouteNorFloodTheLog() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(640, 480);
        try (CamelContext camel = new DefaultCamelContext(); LogCapture log = LogCapture.start()) {
            camel.start();
            RtpMjpegProducer producer = (RtpMjpegProducer) camel
                    .getEndpoint("rtp-mjpeg:255.255.255.255:" + LocalPorts.freeRtpPort() + "?rtcp=false").createProducer();
            producer.start();
            try {
                for (int i = 0; i < 100; i++) {
                    Exchange exchange = new DefaultExchange(camel);
                    exchange.getIn().setBody(jpeg);
                    producer.process(exchange);
                    assertThat(exchange.getException()).isNull();
                }
                assertThat(producer.getFramesSent()).isEqualTo(100);
                assertThat(producer.getSendErrors()).as("sends the kernel refused").isGreaterThanOrEqualTo(100);
                assertThat(log.lines()).filteredOn(line -> line.startsWith("Sending on"))
                        .as("one warning per thousand refusals").hasSizeBetween(1, 1 + (int) (producer.getSendErrors() / 1000));
            } finally {
                producer.stop();
            }
        }
    }

    @Test
    void aMulticastInterfaceThatIsNotThereFailsStartNamingTheOnesThereAre() throws Exception {
        String endpoint = "rtp-mjpeg:239.1.2.3:" + LocalPorts.freeRtpPort() + "?multicastInterface=nosuch0";
        assertStartFailsNamingTheInterface(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(endpoint);
            }
        });
        assertStartFailsNamingTheInterface(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).to("log:frames");
            }
        });
    }

    private static void assertStartFailsNamingTheInterface(RouteBuilder routes) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(routes);
            Throwable failure = catchThrowable(camel::start);
            assertThat(failure).isNotNull();
            while (failure.getCause() != null) {
                failure = failure.getCause();
            }
            assertThat(failure).hasMessageContaining("network interface 'nosuch0' for multicast not found; this host has")
                    .hasMessageContaining("lo");
        }
    }
}
