package dev.mjpegrtp.camel.gstreamer;

import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source that never comes back (a file that does not exist, as a camera unplugged for good): after maxRestarts
 * restarts the consumer gives up, and the route's onException sees a GstreamerPipelineException naming the element,
 * through bridgeErrorHandler.
 */
class GstreamerMaxRestartsTest extends CamelTestSupport {

    private static final int MAX_RESTARTS = 2;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(GstreamerPipelineException.class).handled(true).to("mock:failed");
                from("gstreamer:gone?bridgeErrorHandler=true&maxRestarts=" + MAX_RESTARTS + "&maxRestartDelay=100"
                     + "&pipeline=RAW(filesrc name=camera location=/nonexistent/camera.mjpeg ! jpegparse)")
                        .routeId("gone")
                        .to("mock:frames");
            }
        };
    }

    @Test
    void exhaustedRestartsReachOnException() throws Exception {
        MockEndpoint failed = getMockEndpoint("mock:failed");
        failed.expectedMessageCount(1);
        failed.assertIsSatisfied(15_000);

        Exchange exchange = failed.getReceivedExchanges().get(0);
        GstreamerPipelineException caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, GstreamerPipelineException.class);
        assertThat(caught).isNotNull();
        assertThat(caught.getPipelineName()).isEqualTo("gone");
        assertThat(caught.getElementName()).isEqualTo("camera");
        assertThat(caught.getErrorMessage()).isNotBlank();
        assertThat(caught.getRestarts()).isEqualTo(MAX_RESTARTS);
        assertThat(caught).hasMessageContaining("element camera");

        GstreamerConsumer consumer = (GstreamerConsumer) context.getRoute("gone").getConsumer();
        assertThat(consumer.isGaveUp()).isTrue();
        assertThat(consumer.getRestarts()).isEqualTo(MAX_RESTARTS);
        // No restart after giving up, and only one report of it.
        org.awaitility.Awaitility.await().during(1500, TimeUnit.MILLISECONDS).atMost(3, TimeUnit.SECONDS)
                .until(() -> consumer.getRestarts() == MAX_RESTARTS && failed.getReceivedCounter() == 1);
        assertThat(getMockEndpoint("mock:frames").getReceivedCounter()).isZero();
    }
}
