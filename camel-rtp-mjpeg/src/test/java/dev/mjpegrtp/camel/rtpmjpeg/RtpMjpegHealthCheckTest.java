package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.Collection;
import java.util.Map;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Camel's health checks see the consumer and the producer: UP while their sockets are bound, with their counters. */
class RtpMjpegHealthCheckTest extends CamelTestSupport {

    private final int port = LocalPorts.freeRtpPort();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // What camel.health.consumersEnabled=true and camel.health.producersEnabled=true set up in camel-main
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.setExposureLevel("full");
        for (String repository : new String[] {"consumers", "producers"}) {
            HealthCheckRepository checks = (HealthCheckRepository) registry.resolveById(repository);
            checks.setEnabled(true);
            registry.register(checks);
        }
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("rtp-mjpeg:127.0.0.1:" + port + "?rtcp=false");
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive").to("mock:frames");
            }
        };
    }

    @Test
    void consumerAndProducerAreUpWithTheirCounters() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(2);
        template.sendBody("direct:send", JavaJpegs.baseline(160, 120));
        template.sendBody("direct:send", JavaJpegs.baseline(160, 120));
        frames.assertIsSatisfied(5000);

        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context);
        HealthCheck.Result consumer = results.stream().filter(r -> r.getCheck().getId().equals("consumer:receive"))
                .findFirst().orElseThrow(() -> new AssertionError("no consumer check in " + ids(results)));
        assertThat(consumer.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(consumer.getDetails()).containsEntry("framesReceived", 2L);

        HealthCheck.Result producer = results.stream().filter(r -> r.getCheck().getId().startsWith("producer:"))
                .findFirst().orElseThrow(() -> new AssertionError("no producer check in " + ids(results)));
        assertThat(producer.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(producer.getDetails()).containsEntry("framesSent", 2L);

        context.getRouteController().stopRoute("receive");
        HealthCheck.Result stopped = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:receive")).findFirst().orElseThrow();
        assertThat(stopped.getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    private static Map<String, HealthCheck.State> ids(Collection<HealthCheck.Result> results) {
        return results.stream().collect(java.util.stream.Collectors.toMap(r -> r.getCheck().getId(), HealthCheck.Result::getState));
    }
}
