package dev.mjpegrtp.app;

import dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The demo route of {@code mjpeg-rtp/demo.yaml} in the Java DSL, configured by the same {@code demo.*} properties. Run it
 * instead of the YAML with {@code -Dcamel.main.routesBuilderClasses=dev.mjpegrtp.app.DemoRoute}.
 */
public class DemoRoute extends RouteBuilder {

    @Override
    public void configure() {
        onException(Rfc2435Exception.class)
                .handled(true)
                .log(LoggingLevel.WARN, "Frame ${header.CamelGStreamerSequence} not sent: ${exception.message}");

        // One after the other, not in a multicast, which would copy the exchange: the frame's array would then stay
        // with the copies instead of going back to the consumer's pool. The producers leave the body as it is.
        from("gstreamer:demo?pipeline=RAW({{demo.pipeline}})")
                .routeId("demo")
                // http-mjpeg before the processor sends the camera's JPEG as it is; after it, the JPEG rebuilt from the frame.
                .to("http-mjpeg:{{demo.httpHost}}:{{demo.httpPort}}/{{demo.httpPath}}")
                .process("jpegToRfc2435")
                .to("rtp-mjpeg:{{demo.host}}:{{demo.port}}?sdpFile={{demo.sdpFile}}")
                .to("rtsp-mjpeg:{{demo.rtspHost}}:{{demo.rtspPort}}/{{demo.rtspPath}}")
                // served over rtsps:// with demo.rtspTls=true (DemoRtsps); otherwise nothing consumes them
                .to(DemoRtsps.FRAMES + "?block=false&failIfNoConsumers=false");
    }
}
