package dev.mjpegrtp.camel.gstreamer;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A pipeline that cannot be built fails the route's start, naming the pipeline (its route's id, else the endpoint's
 * name), the element and the package to install, and no password.
 */
class GstreamerInvalidPipelineTest {

    private static Throwable startWith(String pipeline) throws Exception {
        return startWith(pipeline, null);
    }

    private static Throwable startWith(String pipeline, String routeId) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    RouteDefinition route = from("gstreamer:bad?pipeline=RAW(" + pipeline + ")");
                    if (routeId != null) {
                        route.routeId(routeId);
                    }
                    route.to("log:never");
                }
            });
            return catchThrowable(context::start);
        }
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void unknownElementIsNamed() throws Exception {
        Throwable thrown = startWith("videotestsrc ! nosuchelement ! jpegenc");
        assertThat(rootCause(thrown)).isInstanceOf(GstreamerException.class)
                .hasMessageContaining("no element \"nosuchelement\"")
                .hasMessageContaining("gst-inspect-1.0 nosuchelement");
    }

    @Test
    void badSyntaxIsReported() throws Exception {
        Throwable thrown = startWith("videotestsrc ! ! jpegenc");
        assertThat(rootCause(thrown)).isInstanceOf(GstreamerException.class).hasMessageContaining("cannot build pipeline bad");
    }

    @Test
    void thePipelineIsNamedByItsRouteIdWithoutThePasswordItHolds() throws Exception {
        Throwable thrown = startWith("rtspsrc location=rtsp://admin:s3cret-pw@127.0.0.1:1/stream ! nosuchelement", "front-door");
        assertThat(rootCause(thrown)).isInstanceOf(GstreamerException.class)
                .hasMessageContaining("cannot build pipeline front-door")
                .hasMessageContaining("rtsp://admin:")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void missingPipelineOptionIsReported() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("gstreamer:nopipeline").to("log:never");
                }
            });
            assertThat(rootCause(catchThrowable(context::start))).hasMessageContaining("the pipeline option is required");
        }
    }
}
