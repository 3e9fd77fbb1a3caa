package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel's consumer health check reports a delivering pipeline UP, with its counters, and shows no password from a
 * pipeline's URI.
 */
class GstreamerHealthCheckTest extends CamelTestSupport {

    private static final String PASSWORD = "s3cret-pw";

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.setExposureLevel("full");
        HealthCheckRepository consumers = (HealthCheckRepository) registry.resolveById("consumers");
        registry.register(consumers);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:checked?pipeline=RAW(videotestsrc is-live=true ! "
                     + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc)")
                        .routeId("checked").to("mock:frames");
                from("gstreamer:camera?pipeline=RAW(rtspsrc location=rtsp://admin:" + PASSWORD + "@127.0.0.1:"
                     + LocalPorts.freeRtpPort() + "/stream ! rtpjpegdepay)")
                        .routeId("camera").to("mock:camera");
            }
        };
    }

    @Test
    void deliveringPipelineIsUp() {
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> getMockEndpoint("mock:frames").getReceivedCounter() >= 10);
        HealthCheck.Result result = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:checked")).findFirst().orElseThrow();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat((Long) result.getDetails().get("framesEmitted")).isGreaterThanOrEqualTo(10L);
        assertThat(result.getDetails()).containsEntry("pipeline", "checked");
        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("checked").getConsumer();
        assertThat(consumer.getHealthCheck().getId()).isEqualTo("gstreamer:checked");
    }

    @Test
    void theEndpointUriShowsNoPassword() {
        HealthCheck.Result result = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:camera")).findFirst().orElseThrow();
        assertThat(result.getDetails().get(HealthCheck.ENDPOINT_URI)).asString()
                .contains("rtsp://admin:").doesNotContain(PASSWORD);
    }
}
