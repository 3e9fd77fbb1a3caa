package dev.mjpegrtp.examples.springboot;

import dev.mjpegrtp.camel.gstreamer.GstreamerComponent;
import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.camel.rtpmjpeg.RtpMjpegComponent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The mjpeg-rtp demo embedded in a Spring Boot application: the route is YAML under src/main/resources/camel/, the
 * components are configured through application.properties like any Camel Spring Boot component.
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

    /** The processor the YAML route refers to as jpegToRfc2435. */
    @Bean
    JpegToRfc2435Processor jpegToRfc2435(@Value("${demo.mtu:1400}") int mtu) {
        JpegToRfc2435Processor processor = new JpegToRfc2435Processor();
        processor.setMtu(mtu);
        return processor;
    }
}
