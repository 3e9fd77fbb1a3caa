package dev.mjpegrtp.camel.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.TestCertificates;
import dev.mjpegrtp.testing.TestImages;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * https://: FFmpeg verifying the certificate against its CA decodes every frame of the .mjpeg stream to what its own
 * decoder makes of the source JPEG, and refuses the server when it trusts another CA; headless Chromium loads the
 * page and its stream when told to accept the test certificate, and refuses it otherwise.
 */
class HttpMjpegTlsTest extends CamelTestSupport {

    private static final int FPS = 30;
    private static final int FRAMES = 5;

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @RegisterExtension
    AvailablePortFinder.Port httpsPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.create(pki);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:live").to("http-mjpeg:127.0.0.1:" + httpsPort.getPort() + "/live?tlsCertificateFile="
                        + certificates.serverCertificate() + "&tlsKeyFile=" + certificates.serverKey());
            }
        };
    }

    @Test
    void ffmpegTrustingTheCaDecodesEveryFrameToTheSourcePixels() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", 320, 240, 85);
        byte[] expected = TestImages.ffmpegDecodeI420(source);
        Path out = dir.resolve("ffmpeg.yuv");
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", List.of(Files.readAllBytes(source)), FPS)) {
            ExternalTools.run(Duration.ofSeconds(60), "ffmpeg", "-v", "error", "-y", "-tls_verify", "1", "-ca_file",
                    certificates.caCertificate().toString(), "-f", "mpjpeg", "-i", url("live.mjpeg"), "-frames:v",
                    String.valueOf(FRAMES), "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString());
        }
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(FRAMES * expected.length);
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * expected.length, (i + 1) * expected.length),
                    expected, "frame " + i + " ffmpeg decoded over https");
        }
        assertThat(context.getEndpoint(endpointUri(), HttpMjpegEndpoint.class).getUrl()).isEqualTo(url("live"));
    }

    @Test
    void ffmpegTrustingAnotherCaIsRefused() throws Exception {
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", 320, 240, 85);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", List.of(Files.readAllBytes(source)), FPS);
             ExternalTools.Peer ffmpeg = ExternalTools.start(dir.resolve("ffmpeg.log"), "ffmpeg", "-v", "error", "-y",
                     "-tls_verify", "1", "-ca_file", certificates.otherCaCertificate().toString(), "-f", "mpjpeg", "-i",
                     url("live.mjpeg"), "-frames:v", "1", "-f", "rawvideo", dir.resolve("ffmpeg.yuv").toString())) {
            assertThat(ffmpeg.awaitFailure(Duration.ofSeconds(30))).containsIgnoringCase("certificate");
        }
        // FFmpeg (GnuTLS) checks the certificate after the handshake, so the server sees a handshake that
        // succeeded and a client that left before its first request
        assertThat(context.getEndpoint(endpointUri(), HttpMjpegEndpoint.class).getFramesSent()).isZero();
    }

    @Test
    void chromiumLoadsThePageOnlyWhenItAcceptsTheCertificate() throws Exception {
        ExternalTools.require("chromium");
        Path source = TestImages.gstJpeg(dir, "still", "smpte", "I420", 320, 240, 85);
        HttpMjpegEndpoint endpoint = context.getEndpoint(endpointUri(), HttpMjpegEndpoint.class);
        try (FrameFeed feed = FrameFeed.start(template, "direct:live", List.of(Files.readAllBytes(source)), FPS)) {
            ExternalTools.run(Duration.ofSeconds(90), chromium(dir.resolve("refusing"), false));
            assertThat(endpoint.getFramesSent()).as("frames sent to a browser that refused the certificate").isZero();
            assertThat(endpoint.getTlsHandshakesFailed()).isPositive();
            ExternalTools.run(Duration.ofSeconds(90), chromium(dir.resolve("accepting"), true));
            assertThat(endpoint.getFramesSent()).as("frames sent to the browser over https").isPositive();
        }
    }

    private String[] chromium(Path profile, boolean acceptTestCertificate) {
        List<String> command = new java.util.ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + profile, "--window-size=640,480", "--virtual-time-budget=3000",
                "--screenshot=" + profile.resolve("page.png")));
        if (acceptTestCertificate) {
            command.add("--ignore-certificate-errors");
        }
        command.add(url("live"));
        return command.toArray(String[]::new);
    }

    private String endpointUri() {
        return "http-mjpeg:127.0.0.1:" + httpsPort.getPort() + "/live?tlsCertificateFile="
                + certificates.serverCertificate() + "&tlsKeyFile=" + certificates.serverKey();
    }

    private String url(String path) {
        return "https://127.0.0.1:" + httpsPort.getPort() + "/" + path;
    }
}
