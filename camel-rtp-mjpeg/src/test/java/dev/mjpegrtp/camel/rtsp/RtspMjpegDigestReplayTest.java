package dev.mjpegrtp.camel.rtsp;

import java.util.List;
import java.util.UUID;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Digest headers captured from an authenticated viewer on 127.0.0.1, replayed by somebody who saw them but has not the
 * password: from 127.0.0.2, and from 127.0.0.1 on another connection (a neighbour behind the same NAT), with and
 * without qop; and the same answer (nonce and nc) twice on the viewer's own connection. Every replay gets 401.
 */
class RtspMjpegDigestReplayTest extends CamelTestSupport {

    private static final String USER = "viewer";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String TRANSPORT = "Transport: RTP/AVP/TCP;unicast;interleaved=0-1";

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/door?username=" + USER
                        + "&password=RAW(" + PASSWORD + ")");
            }
        };
    }

    @BeforeEach
    void startFeed() {
        feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
    }

    private RtspTestClient client(String localAddress) throws Exception {
        return RtspTestClient.from(localAddress, "127.0.0.1", rtspPort.getPort(), "door");
    }

    @Test
    void headersCapturedOnOneConnectionGetNothingOnAnother() throws Exception {
        try (RtspTestClient viewer = client("127.0.0.1")) {
            String challenge = viewer.request("DESCRIBE", viewer.url()).expect(401).header("www-authenticate");
            viewer.request("DESCRIBE", viewer.url(), digest(challenge, "DESCRIBE", viewer.url(), 1)).expect(200);
            // The viewer's captured requests: a SETUP with qop, a second SETUP and its PLAY without (RFC 2069, as
            // GStreamer answers).
            String setupWithQop = digest(challenge, "SETUP", viewer.trackUrl(), 2);
            viewer.request("SETUP", viewer.trackUrl(), TRANSPORT, setupWithQop).expect(200);
            String setupWithoutQop = RtspTestClient.digestAuthorization(challenge, "SETUP", viewer.trackUrl(), USER,
                    PASSWORD, false);
            String session = viewer.request("SETUP", viewer.trackUrl(),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=2-3", setupWithoutQop).expect(200).session();
            String play = RtspTestClient.digestAuthorization(challenge, "PLAY", viewer.url(), USER, PASSWORD, false);
            viewer.request("PLAY", viewer.url(), "Session: " + session, play).expect(200);
            viewer.readInterleaved(); // the stream flows to the viewer

            for (String address : List.of("127.0.0.2", "127.0.0.1")) {
                try (RtspTestClient replayer = client(address)) {
                    for (String captured : List.of(setupWithQop, setupWithoutQop)) {
                        RtspTestClient.Response replayed = replayer.request("SETUP", replayer.trackUrl(), TRANSPORT,
                                captured).expect(401);
                        assertThat(replayed.header("www-authenticate")).as("a fresh challenge").startsWith("Digest ");
                        assertThat(replayed.session()).isNull();
                    }
                    // Taking over the viewer's session: from another address it is not found, from the viewer's own
                    // address the captured PLAY is refused.
                    replayer.request("PLAY", replayer.url(), "Session: " + session, play)
                            .expect(address.equals("127.0.0.1") ? 401 : 454);
                }
            }
            assertThat(context.getEndpoint("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/door?username=" + USER
                    + "&password=RAW(" + PASSWORD + ")", RtspMjpegEndpoint.class).getViewers()).isEqualTo(2);
        }
    }

    @Test
    void theSameNonceCountTwiceIsAReplay() throws Exception {
        try (RtspTestClient viewer = client("127.0.0.1")) {
            String challenge = viewer.request("DESCRIBE", viewer.url()).expect(401).header("www-authenticate");
            String first = digest(challenge, "DESCRIBE", viewer.url(), 1);
            viewer.request("DESCRIBE", viewer.url(), first).expect(200);
            RtspTestClient.Response replayed = viewer.request("DESCRIBE", viewer.url(), first).expect(401);
            assertThat(replayed.header("www-authenticate")).contains("stale=true");
            viewer.request("DESCRIBE", viewer.url(), digest(challenge, "DESCRIBE", viewer.url(), 5)).expect(200);
            viewer.request("DESCRIBE", viewer.url(), digest(challenge, "DESCRIBE", viewer.url(), 4)).expect(401);
            viewer.request("DESCRIBE", viewer.url(), digest(challenge, "DESCRIBE", viewer.url(), 6)).expect(200);
        }
    }

    private static String digest(String challenge, String method, String url, int nonceCount) {
        return RtspTestClient.digestAuthorization(challenge, method, url, USER, PASSWORD, nonceCount);
    }
}
