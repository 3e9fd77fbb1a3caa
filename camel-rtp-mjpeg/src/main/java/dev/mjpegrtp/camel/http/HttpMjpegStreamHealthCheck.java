package dev.mjpegrtp.camel.http;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A path's health for Camel's health-check registry: UP while its server listens, DOWN when the listening socket
 * closed underneath it; the details carry the path's metrics, the same as its JMX attributes.
 */
final class HttpMjpegStreamHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "http-mjpeg";

    private final HttpMjpegEndpoint endpoint;

    HttpMjpegStreamHealthCheck(HttpMjpegEndpoint endpoint) {
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
                .detail("viewersRejected", endpoint.getViewersRejected())
                .detail("framesPublished", endpoint.getFramesPublished())
                .detail("framesSent", endpoint.getFramesSent())
                .detail("framesSkipped", endpoint.getFramesSkipped())
                .detail("bytesSent", endpoint.getBytesSent())
                .detail("authenticationFailures", endpoint.getAuthenticationFailures())
                .detail("authenticationsThrottled", endpoint.getAuthenticationsThrottled());
        if (endpoint.isListening()) {
            builder.up();
        } else {
            builder.down().message("the HTTP server of " + endpoint.getUrl() + " is not listening");
        }
    }
}
