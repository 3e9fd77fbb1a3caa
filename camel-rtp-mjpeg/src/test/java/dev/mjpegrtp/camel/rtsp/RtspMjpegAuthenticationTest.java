package dev.mjpegrtp.camel.rtsp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Digest (the default) and Basic authentication on two paths of one server: no or wrong credentials get 401 with a
 * challenge, right ones play, with FFmpeg and GStreamer as viewers; and the password never shows in a log line.
 */
class RtspMjpegAuthenticationTest extends CamelTestSupport {

    private static final String USER = "viewer";
    /** Unique, so that finding it in a log cannot be a coincidence. */
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    private LogCapture logs;
    private FrameFeed feed;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String base = "rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort();
                from("direct:frames").multicast()
                        .to(base + "/digest?username=" + USER + "&password=RAW(" + PASSWORD + ")")
                        .to(base + "/basic?username=" + USER + "&password=RAW(" + PASSWORD + ")&authMethod=basic");
            }
        };
    }

    @Override
    protected void doPreSetup() {
        logs = LogCapture.start(); // before the context starts: endpoint creation and startup are logged too
    }

    @BeforeEach
    void startFeed() throws Exception {
        feed = FrameFeed.start(template, "direct:frames", List.of(java.nio.file.Files.readAllBytes(
                TestImages.gstJpeg(dir, "frame", "smpte", "I420", 320, 240, 85))), 30);
    }

    @Override
    public void doPostTearDown() throws Exception {
        feed.close();
        logs.close();
        assertThat(logs.lines()).as("log lines").isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
    }

    @Test
    void digestRefusesMissingAndWrongCredentialsAndAcceptsRightOnes() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "digest")) {
            RtspTestClient.Response missing = client.request("DESCRIBE", client.url()).expect(401);
            String challenge = missing.header("www-authenticate");
            assertThat(challenge).startsWith("Digest ").contains("realm=\"mjpeg-rtp\"", "nonce=\"", "qop=\"auth\"",
                    "algorithm=MD5");
            client.request("DESCRIBE", client.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    client.url(), USER, "wrong", true)).expect(401);
            client.request("DESCRIBE", client.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    client.url(), "intruder", PASSWORD, true)).expect(401);
            client.request("DESCRIBE", client.url(), RtspTestClient.basicAuthorization(USER, PASSWORD)).expect(401);
            RtspTestClient.Response described = client.request("DESCRIBE", client.url(),
                    RtspTestClient.digestAuthorization(challenge, "DESCRIBE", client.url(), USER, PASSWORD, true));
            assertThat(described.expect(200).body()).contains("m=video 0 RTP/AVP 26");
            // RFC 2069's form, without qop, as GStreamer and many cameras answer
            client.request("DESCRIBE", client.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    client.url(), USER, PASSWORD, false)).expect(200);
            // a response computed for another URI is not accepted for this one
            client.request("DESCRIBE", client.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    client.url().replace("digest", "basic"), USER, PASSWORD, true)).expect(401);
            client.request("SETUP", client.trackUrl(), "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").expect(401);
            // the same answer again (its nc 1 used up): a replay
            client.request("DESCRIBE", client.url(), RtspTestClient.digestAuthorization(challenge, "DESCRIBE",
                    client.url(), USER, PASSWORD, true)).expect(401);
            RtspTestClient.Response setup = client.request("SETUP", client.trackUrl(),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1", RtspTestClient.digestAuthorization(challenge,
                            "SETUP", client.trackUrl(), USER, PASSWORD, 2)).expect(200);
            client.request("PLAY", client.url(), "Session: " + setup.session()).expect(401);
        }
    }

    @Test
    void basicRefusesMissingAndWrongCredentialsAndAcceptsRightOnes() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "basic")) {
            RtspTestClient.Response missing = client.request("DESCRIBE", client.url()).expect(401);
            assertThat(missing.header("www-authenticate")).startsWith("Basic realm=\"mjpeg-rtp\"");
            client.request("DESCRIBE", client.url(), RtspTestClient.basicAuthorization(USER, "wrong")).expect(401);
            client.request("DESCRIBE", client.url(), RtspTestClient.basicAuthorization("intruder", PASSWORD)).expect(401);
            client.request("DESCRIBE", client.url(), "Authorization: Basic not-base64!").expect(401);
            client.request("DESCRIBE", client.url(), RtspTestClient.basicAuthorization(USER, PASSWORD)).expect(200);
        }
    }

    @Test
    void ffmpegAndGstreamerPlayWithCredentialsAndFailWithoutThem() throws Exception {
        String digest = "rtsp://127.0.0.1:" + rtspPort.getPort() + "/digest";
        String basic = "rtsp://127.0.0.1:" + rtspPort.getPort() + "/basic";
        String credentials = USER + ":" + PASSWORD + "@";
        for (String url : List.of(digest, basic)) {
            try (ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"),
                    url.replace("rtsp://", "rtsp://" + credentials), "tcp", 2, dir.resolve("out.yuv"))) {
                ffmpeg.awaitExit(Duration.ofSeconds(20));
            }
            try (ExternalTools.Peer gst = ExternalTools.start(dir.resolve("gst.log"), "gst-launch-1.0", "-v", "rtspsrc",
                    "location=" + url, "user-id=" + USER, "user-pw=" + PASSWORD, "protocols=tcp", "!", "rtpjpegdepay",
                    "!", "fakesink", "silent=false")) {
                RtspViewers.awaitFirstFrame(gst, Duration.ofSeconds(20));
            }
            try (ExternalTools.Peer refused = RtspViewers.ffmpegDecoding(dir.resolve("refused.log"),
                    url.replace("rtsp://", "rtsp://" + USER + ":wrong@"), "tcp", 2, dir.resolve("refused.yuv"))) {
                assertThat(refused.awaitFailure(Duration.ofSeconds(20))).contains("401");
            }
        }
    }
}
