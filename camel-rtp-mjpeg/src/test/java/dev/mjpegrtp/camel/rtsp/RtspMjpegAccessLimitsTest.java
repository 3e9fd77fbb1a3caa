package dev.mjpegrtp.camel.rtsp;

import dev.mjpegrtp.testing.RtspTestClient;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-path limits: maxViewers turns the next SETUP away with 503 until a viewer leaves, and allowedClients answers
 * 403 to addresses outside its CIDR blocks, before credentials are even asked for.
 */
class RtspMjpegAccessLimitsTest extends CamelTestSupport {

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String base = "rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort();
                from("direct:frames").multicast()
                        .to(base + "/two?maxViewers=2")
                        .to(base + "/lan?allowedClients=10.0.0.0/8,192.168.0.0/16&username=u&password=p")
                        .to(base + "/local?allowedClients=192.168.1.0/24, 127.0.0.0/8");
            }
        };
    }

    @Test
    void viewersBeyondMaxViewersGet503UntilOneLeaves() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "two")) {
            String transport = "Transport: RTP/AVP/TCP;unicast";
            String first = client.request("SETUP", client.trackUrl(), transport).expect(200).session();
            client.request("SETUP", client.trackUrl(), transport).expect(200);
            client.request("SETUP", client.trackUrl(), transport).expect(503);
            RtspMjpegEndpoint endpoint = context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort()
                    + "/two?maxViewers=2", RtspMjpegEndpoint.class);
            assertThat(endpoint.getViewers()).isEqualTo(2);
            assertThat(endpoint.getViewersRejected()).isEqualTo(1);
            client.request("TEARDOWN", client.url(), "Session: " + first).expect(200);
            RtspTestClient.Response third = client.request("SETUP", client.trackUrl(), transport).expect(200);
            assertThat(third.header("transport")).as("interleaved channels free again").contains("interleaved=0-1");
        }
    }

    @Test
    void clientsOutsideAllowedClientsGet403() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "lan")) {
            client.request("DESCRIBE", client.url()).expect(403);
            client.request("SETUP", client.trackUrl(), "Transport: RTP/AVP/TCP;unicast").expect(403);
        }
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "local")) {
            client.request("SETUP", client.trackUrl(), "Transport: RTP/AVP/TCP;unicast").expect(200);
        }
    }
}
