package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Health of an rtp-mjpeg producer or consumer: UP while its UDP socket is open and bound, DOWN otherwise, with the
 * endpoint's counters as details. Camel's consumer and producer health-check repositories find it through
 * {@link org.apache.camel.health.HealthCheckAware}.
 */
final class ChannelHealthCheck implements HealthCheck {

    private final String id;
    private final String endpointUri;
    private final Supplier<Channel> channel;
    private final Consumer<HealthCheckResultBuilder> details;
    private boolean enabled = true;

    ChannelHealthCheck(String id, String endpointUri, Supplier<Channel> channel, Consumer<HealthCheckResultBuilder> details) {
        this.id = id;
        this.endpointUri = endpointUri;
        this.channel = channel;
        this.details = details;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this).detail(ENDPOINT_URI, endpointUri);
        details.accept(builder);
        Channel current = channel.get();
        if (current != null && current.isActive()) {
            return builder.detail("localAddress", String.valueOf(current.localAddress())).up().build();
        }
        return builder.message("UDP socket is not bound").down().build();
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
        return id;
    }
}
