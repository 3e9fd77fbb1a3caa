package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health of an rtp-mjpeg producer or consumer: UP while its UDP socket is open and bound, DOWN otherwise, with the
 * endpoint's counters as details. Camel's consumer and producer health-check repositories find it through
 * {@link org.apache.camel.health.HealthCheckAware}.
 */
final class ChannelHealthCheck extends AbstractHealthCheck {

    private final String endpointUri;
    private final Supplier<Channel> channel;
    private final Consumer<HealthCheckResultBuilder> details;

    ChannelHealthCheck(String id, String endpointUri, Supplier<Channel> channel, Consumer<HealthCheckResultBuilder> details) {
        super("camel", id);
        this.endpointUri = endpointUri;
        this.channel = channel;
        this.details = details;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(ENDPOINT_URI, endpointUri);
        details.accept(builder);
        Channel current = channel.get();
        if (current != null && current.isActive()) {
            builder.detail("localAddress", String.valueOf(current.localAddress())).up();
        } else {
            builder.message("UDP socket is not bound").down();
        }
    }
}
