package dev.mjpegrtp.app;

import org.apache.camel.builder.RouteBuilder;

/**
 * A Java DSL camera whose pipeline names an element that does not exist, for {@link CameraIsolationTest}: its route
 * cannot start, and must not stop the others.
 */
public class MistypedPipelineRoute extends RouteBuilder {

    static final String ROUTE_ID = "java-mistyped";

    @Override
    public void configure() {
        from("gstreamer:java?pipeline=RAW(nosuchelement1 ! jpegenc)")
                .routeId(ROUTE_ID)
                .to("rtp-mjpeg:127.0.0.1:{{isolation.javaPort}}");
    }
}
