package dev.mjpegrtp.camel.server;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A path's health for Camel's health-check registry (when camel-health is on the classpath): UP while its server
 * listens, DOWN when the listening socket closed underneath it; the details carry the path's metrics, the same as
 * its JMX attributes. Its group is the component's scheme.
 */
final class StreamHealthCheck extends AbstractHealthCheck {

    private final ServerEndpoint<?, ?, ?> endpoint;

    StreamHealthCheck(String scheme, ServerEndpoint<?, ?, ?> endpoint) {
        super(scheme, scheme + ":" + endpoint.getUrl());
        this.endpoint = endpoint;
    }

    @Override
    public boolean isLiveness() {
        return false; // a camera nobody watches is no reason to restart the application
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ENDPOINT_URI, endpoint.getUrl());
        endpoint.healthDetails().forEach(builder::detail);
        builder.detail("authenticationFailures", endpoint.getAuthenticationFailures())
                .detail("authenticationsThrottled", endpoint.getAuthenticationsThrottled());
        if (endpoint.isListening()) {
            builder.up();
        } else {
            builder.down().message("the server of " + endpoint.getUrl() + " is not listening");
        }
    }
}
