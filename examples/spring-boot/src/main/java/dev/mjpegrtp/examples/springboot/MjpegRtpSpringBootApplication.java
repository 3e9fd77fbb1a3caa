package dev.mjpegrtp.examples.springboot;

import dev.mjpegrtp.camel.gstreamer.GstreamerComponent;
import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegComponent;
import dev.mjpegrtp.micrometer.MjpegRtpMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The mjpeg-rtp demo embedded in a Spring Boot application: the route is YAML under src/main/resources/camel/, the
 * components are configured through application.properties like any Camel Spring Boot component, and their meters
 * are in Boot's registry, at {@code /actuator/prometheus}.
 */
@SpringBootApplication
public class MjpegRtpSpringBootApplication {

    public static void main(String[] args) {
        SpringApplication.run(MjpegRtpSpringBootApplication.class, args);
    }

    /**
     * The components as beans bound to {@code camel.component.rtp-mjpeg.*} and {@code camel.component.gstreamer.*},
     * which is what a Camel starter's auto-configuration does; Camel finds components in the registry by name.
     */
    @Bean("rtp-mjpeg")
    @ConfigurationProperties(prefix = "camel.component.rtp-mjpeg")
    RtpMjpegComponent rtpMjpegComponent() {
        return new RtpMjpegComponent();
    }

    @Bean("gstreamer")
    @ConfigurationProperties(prefix = "camel.component.gstreamer")
    GstreamerComponent gstreamerComponent() {
        return new GstreamerComponent();
    }

    /**
     * The components' meters ({@code mjpegrtp.frames.sent}, {@code mjpegrtp.consumer.fps}, ...) in Boot's registry,
     * bound as Camel Spring Boot configures the context, before its routes start.
     */
    @Bean
    CamelContextConfiguration mjpegRtpMeters(MeterRegistry registry) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                MjpegRtpMeters.bindTo(camelContext, registry);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // the meters follow the routes from now on
            }
        };
    }

    /** The processor the YAML route refers to as jpegToRfc2435. */
    @Bean
    JpegToRfc2435Processor jpegToRfc2435(@Value("${demo.mtu:1400}") int mtu) {
        JpegToRfc2435Processor processor = new JpegToRfc2435Processor();
        processor.setMtu(mtu);
        return processor;
    }
}
