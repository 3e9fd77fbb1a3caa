package dev.mjpegrtp.camel.gstreamer;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** Runs GStreamer pipelines and hands their frames to Camel routes. Owns the once-per-JVM GStreamer initialisation. */
@Component("gstreamer")
public class GstreamerComponent extends DefaultComponent {

    @Metadata(label = "consumer,advanced", defaultValue = "0", description = "The consumers' realtimePriority unless "
              + "an endpoint sets its own: 1-99 pulls frames and runs routes in the real-time scheduler (SCHED_FIFO) "
              + "where the process may, 0 in the ordinary scheduler.")
    private int realtimePriority;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GstreamerEndpoint endpoint = new GstreamerEndpoint(uri, this);
        endpoint.setName(remaining);
        endpoint.setRealtimePriority(realtimePriority);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public int getRealtimePriority() {
        return realtimePriority;
    }

    public void setRealtimePriority(int realtimePriority) {
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("realtimePriority must be 0 (the ordinary scheduler) or 1-99, not "
                    + realtimePriority);
        }
        this.realtimePriority = realtimePriority;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GstreamerRuntime.initialize();
    }
}
