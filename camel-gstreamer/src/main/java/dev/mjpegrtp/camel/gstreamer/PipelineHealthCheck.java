package dev.mjpegrtp.camel.gstreamer;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.util.URISupport;

/**
 * Health of a gstreamer consumer: UP while its pipeline delivers frames (one in the last {@value #STALL_MILLIS} ms, or
 * it started less than that ago), DOWN with the last error when it stalls, e.g. a camera unplugged and restarting.
 * Camel's consumer health-check repository reports it as {@code consumer:<route id>}.
 *
 * <p>It implements {@link HealthCheck} itself, as camel-support's ScheduledPollConsumerHealthCheck does, rather than
 * extend camel-health's AbstractHealthCheck: Camel wraps a consumer's check in its ConsumerHealthCheck, an
 * AbstractHealthCheck that keeps the invocation and failure counts and overwrites this check's, so the base class
 * would only add a dependency on camel-health. The endpoint URI is sanitised, as ConsumerHealthCheck's own is, since
 * this detail replaces it: a pipeline such as {@code rtspsrc location=rtsp://user:password@camera/} carries a password.
 */
final class PipelineHealthCheck implements HealthCheck {

    static final long STALL_MILLIS = 10_000;

    private final GstreamerConsumer consumer;
    private final String endpointUri;
    private boolean enabled = true;

    PipelineHealthCheck(GstreamerConsumer consumer, String endpointUri) {
        this.consumer = consumer;
        this.endpointUri = URISupport.sanitizeUri(endpointUri);
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this)
                .detail(ENDPOINT_URI, endpointUri)
                .detail("framesEmitted", consumer.getFramesEmitted())
                .detail("framesDropped", consumer.getFramesDropped())
                .detail("framesFailed", consumer.getFramesFailed())
                .detail("restarts", consumer.getRestarts());
        if (consumer.getLastError() != null) {
            builder.detail("lastError", consumer.getLastError());
        }
        if (consumer.isGaveUp()) {
            return builder.message("pipeline stopped for good after " + consumer.getRestarts() + " restarts").down().build();
        }
        long idle = consumer.millisSinceLastFrame();
        if (consumer.isRunAllowed() && idle < STALL_MILLIS) {
            return builder.up().build();
        }
        return builder.message(consumer.isRunAllowed() ? "no frame for " + idle + " ms" : "pipeline stopped").down().build();
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return "gstreamer:" + consumer.getEndpoint().getEndpointKey();
    }
}
