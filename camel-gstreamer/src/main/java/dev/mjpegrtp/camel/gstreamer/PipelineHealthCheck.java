package dev.mjpegrtp.camel.gstreamer;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.URISupport;

/**
 * Health of a gstreamer consumer: UP while its pipeline delivers frames (one in the last {@value #STALL_MILLIS} ms, or
 * it started less than that ago), DOWN with the last error when it stalls, e.g. a camera unplugged and restarting.
 * Its id is {@code gstreamer:<pipeline name>}, the route's id when the user gave one
 * ({@link GstreamerConsumer#pipelineName()}); Camel's consumer health-check repository reports it as
 * {@code consumer:<route id>}, calling it while the route runs (a route that could not start is DOWN in Camel's own
 * {@code route:<route id>} and {@code route-controller} checks, with the reason).
 *
 * <p>The invocation and failure counts in its details are this check's, overwriting those of Camel's wrapping
 * ConsumerHealthCheck: they count the calls made while the route was started. The endpoint URI is sanitised, as
 * ConsumerHealthCheck's own is, since this detail replaces it: a pipeline such as
 * {@code rtspsrc location=rtsp://user:password@camera/} carries a password.
 */
final class PipelineHealthCheck extends AbstractHealthCheck {

    static final long STALL_MILLIS = 10_000;

    private final GstreamerConsumer consumer;
    private final String endpointUri;

    PipelineHealthCheck(GstreamerConsumer consumer, String endpointUri) {
        super("camel", "gstreamer:" + consumer.pipelineName());
        this.consumer = consumer;
        this.endpointUri = URISupport.sanitizeUri(endpointUri);
        setCamelContext(consumer.getEndpoint().getCamelContext());
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ENDPOINT_URI, endpointUri)
                .detail("pipeline", consumer.pipelineName())
                .detail("framesEmitted", consumer.getFramesEmitted())
                .detail("framesDropped", consumer.getFramesDropped())
                .detail("framesFailed", consumer.getFramesFailed())
                .detail("restarts", consumer.getRestarts());
        if (consumer.getLastError() != null) {
            builder.detail("lastError", consumer.getLastError());
        }
        if (consumer.isGaveUp()) {
            builder.message("pipeline " + consumer.pipelineName() + " stopped for good after " + consumer.getRestarts()
                    + " restarts: " + consumer.getLastError()).down();
            return;
        }
        long idle = consumer.millisSinceLastFrame();
        if (consumer.isRunAllowed() && idle < STALL_MILLIS) {
            builder.up();
            return;
        }
        String reason = consumer.isRunAllowed() ? "no frame for " + idle + " ms" : "stopped";
        builder.message("pipeline " + consumer.pipelineName() + ": " + reason
                + (consumer.getLastError() != null ? " (" + consumer.getLastError() + ")" : "")).down();
    }
}
