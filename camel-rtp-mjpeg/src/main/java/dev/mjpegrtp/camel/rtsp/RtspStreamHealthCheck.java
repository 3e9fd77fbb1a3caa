package dev.mjpegrtp.camel.rtsp;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A path's health for Camel's health-check registry (when camel-health is on the classpath): UP while its server
 * listens, DOWN when the listening socket closed underneath it; the details carry the path's metrics, the same as
 * its JMX attributes.
 */
final class RtspStreamHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "rtsp-mjpeg";

    private final RtspMjpegEndpoint endpoint;

    RtspStreamHealthCheck(RtspMjpegEndpoint endpoint) {
        super(GROUP, GROUP + ":" + endpoint.getUrl());
        this.endpoint = endpoint;
    }

    @Override
    public boolean isLiveness() {
        return false; // a camera nobody watches is no reason to restart the application
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ENDPOINT_URI, endpoint.getUrl())
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
            builder.up();
        } else {
            builder.down().message("the RTSP server of " + endpoint.getUrl() + " is not listening");
        }
    }
}
