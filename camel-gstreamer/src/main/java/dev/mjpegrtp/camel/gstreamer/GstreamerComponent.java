package dev.mjpegrtp.camel.gstreamer;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** Runs GStreamer pipelines and hands their frames to Camel routes. Owns the once-per-JVM GStreamer initialisation. */
@Component("gstreamer")
public class GstreamerComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GstreamerEndpoint endpoint = new GstreamerEndpoint(uri, this);
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GstreamerRuntime.initialize();
    }
}
