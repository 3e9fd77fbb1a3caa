package dev.mjpegrtp.camel.rtsp;

import dev.mjpegrtp.camel.server.AuthMethod;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoint URIs: what they configure, and the mistakes they are refused for, with the option named. */
class RtspMjpegEndpointConfigurationTest extends CamelTestSupport {

    @Test
    void parsesHostPortPathAndOptions() {
        RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:0.0.0.0:8554/site/door?username=u&password=p"
                + "&authMethod=basic&maxViewers=4&maxQueuedFrames=3&viewerTimeout=5s&allowedClients=10.0.0.0/8",
                RtspMjpegEndpoint.class);
        RtspMjpegConfiguration configuration = endpoint.getConfiguration();
        assertThat(configuration.getHost()).isEqualTo("0.0.0.0");
        assertThat(configuration.getPort()).isEqualTo(8554);
        assertThat(configuration.getPath()).isEqualTo("site/door");
        assertThat(configuration.getAuthMethod()).isEqualTo(AuthMethod.BASIC);
        assertThat(configuration.getMaxViewers()).isEqualTo(4);
        assertThat(configuration.getMaxQueuedFrames()).isEqualTo(3);
        assertThat(configuration.getViewerTimeout()).isEqualTo(5000);
        assertThat(endpoint.getUrl()).isEqualTo("rtsp://0.0.0.0:8554/site/door");
        assertThat(context.getEndpoint("rtsp-mjpeg:[::1]:8554/cam", RtspMjpegEndpoint.class).getUrl())
                .isEqualTo("rtsp://[::1]:8554/cam");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rtsp-mjpeg:127.0.0.1:8554 | expected rtsp-mjpeg:host:port/path",
        "rtsp-mjpeg:127.0.0.1:8554/ | stream path",
        "rtsp-mjpeg:127.0.0.1:99999/cam | outside 1..65535",
        "rtsp-mjpeg:127.0.0.1:8554/cam?username=u | username and password go together",
        "rtsp-mjpeg:127.0.0.1:8554/cam?allowedClients=lan | allowedClients",
        "rtsp-mjpeg:127.0.0.1:8554/cam?maxViewers=0 | maxViewers",
        "rtsp-mjpeg:127.0.0.1:8554/cam?rtpPort=5001 | rtpPort 5001 must be 0 or even",
        "rtsp-mjpeg:127.0.0.1:8554/cam?rtpPort=65536 | rtpPort 65536 must be 0 or even",
        "rtsp-mjpeg:127.0.0.1:8554/cam?authMethod=ntlm | authMethod",
        "rtsp-mjpeg:127.0.0.1:8554/cam?fps=30 | fps"})
    void refusesMistakesNamingThem(String uri, String message) {
        assertThatThrownBy(() -> context.getEndpoint(uri)).isInstanceOf(ResolveEndpointFailedException.class)
                .satisfies(e -> assertThat(fullMessage(e)).contains(message));
    }

    @Test
    void hasNoConsumer() {
        assertThatThrownBy(() -> context.getEndpoint("rtsp-mjpeg:127.0.0.1:8554/cam?password=p&username=u")
                .createConsumer(exchange -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("password=xxxxxx")
                .hasMessageNotContaining("password=p&");
    }

    private static String fullMessage(Throwable e) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            message.append(t.getMessage()).append('\n');
        }
        return message.toString();
    }
}
