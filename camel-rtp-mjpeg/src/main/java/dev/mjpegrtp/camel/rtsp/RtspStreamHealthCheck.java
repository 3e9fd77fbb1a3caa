package dev.mjpegrtp.camel.rtsp;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A path's health for Camel's health-check registry (when camel-health is on the classpath): UP while its server
 * listens, DOWN when the listening socket closed underneath it; the details carry the path's metrics, the same as
 * its JMX attributes.
 */
final class RtspStreamHealthCheck implements HealthCheck {

    static final String GROUP = "rtsp-mjpeg";

    private final RtspMjpegEndpoint endpoint;
    private volatile boolean enabled = true;

    RtspStreamHealthCheck(RtspMjpegEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String getGroup() {
        return GROUP;
    }

    @Override
    public String getId() {
        return GROUP + ":" + endpoint.getUrl();
    }

    @Override
    public boolean isLiveness() {
        return false; // a camera nobody watches is no reason to restart the application
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
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this)
                .detail(ENDPOINT_URI, endpoint.getUrl())
                .detail("viewers", endpoint.getViewers())
                .detail("playingViewers", endpoint.getPlayingViewers())
                .detail("viewersRejected", endpoint.getViewersRejected())
                .detail("framesPublished", endpoint.getFramesPublished())
                .detail("framesSent", endpoint.getFramesSent())
                .detail("framesDropped", endpoint.getFramesDropped())
                .detail("bytesSent", endpoint.getBytesSent())
                .detail("authenticationFailures", endpoint.getAuthenticationFailures())
                .detail("authenticationsThrottled", endpoint.getAuthenticationsThrottled());
        if (endpoint.isListening()) {
            return result.up().build();
        }
        return result.down().message("the RTSP server of " + endpoint.getUrl() + " is not listening").build();
    }
}
