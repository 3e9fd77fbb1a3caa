package dev.mjpegrtp.app;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The route template {@value #NAME}: one camera (any gst-launch description producing JPEG) to one RTP destination.
 * A YAML file of {@code templatedRoute} entries, one per camera, starts one independent stream each:
 *
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: mjpeg-rtp-stream
 *     routeId: door
 *     parameters:
 *       - name: pipeline
 *         value: "v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720,framerate=30/1"
 *       - name: host
 *         value: 239.1.2.3
 *       - name: port
 *         value: "5004"
 * </pre>
 *
 * Parameters: {@code pipeline}, {@code host}, {@code port} (required); {@code mtu} (1400); {@code sdpFile} (none);
 * {@code streamId} (the route id, {@code host:port} when not given). Registered in Java, so that it exists whatever
 * routes the user's {@code camel.main.routesIncludePattern} loads.
 */
public class StreamRouteTemplate extends RouteBuilder {

    public static final String NAME = "mjpeg-rtp-stream";

    @Override
    public void configure() {
        routeTemplate(NAME)
                .templateParameter("pipeline", null, "gst-launch description producing image/jpeg (without the sink)")
                .templateParameter("host", null, "RTP destination address, unicast or multicast")
                .templateParameter("port", null, "RTP destination port (RTCP goes to port + 1)")
                .templateParameter("mtu", "1400", "largest RTP packet, RTP header included")
                .templateOptionalParameter("sdpFile", "file to write the stream's SDP to")
                // The default refers to the other parameters: placeholders resolve recursively.
                .templateParameter("streamId", "{{host}}:{{port}}", "route id and pipeline name")
                .route()
                .from("gstreamer:{{streamId}}?pipeline=RAW({{pipeline}})")
                .routeId("{{streamId}}")
                .onException(Rfc2435Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "Stream {{streamId}}: frame ${header.CamelGStreamerSequence} not sent: "
                            + "${exception.message}")
                .end()
                .to("rtp-mjpeg:{{host}}:{{port}}?mtu={{mtu}}&sdpFile={{?sdpFile}}");
    }
}
