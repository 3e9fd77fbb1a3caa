package dev.mjpegrtp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.mjpegrtp.testing.ExternalTools;
import dev.mjpegrtp.testing.Pixels;
import dev.mjpegrtp.testing.RtspViewers;
import dev.mjpegrtp.testing.TestImages;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo with {@code -Ddemo.rtspTls=true}, as a process: FFmpeg plays its rtsps:// URL and decodes every frame to
 * what it decodes from the demo's JPEG; the certificate the server presents is the one whose fingerprint the log
 * shows, the log never shows the keystore's password, and the keystore is gone once the app has stopped.
 */
class DemoRtspsTest {

    private static final int FRAMES = 30;
    private static final int FRAME_BYTES = 640 * 360 * 3 / 2;
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ([0-9A-F:]{95})");

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @RegisterExtension
    AvailablePortFinder.Port rtspsPort = AvailablePortFinder.find();

    @TempDir
    Path dir;

    @Test
    void ffmpegPlaysTheRtspsUrlWithTheLoggedCertificate() throws Exception {
        String url = "rtsps://127.0.0.1:" + rtspsPort.getPort() + "/demo";
        Path out = dir.resolve("received.yuv");
        Process app = AppProcess.start(dir, "demo", rtspPort.getPort(), "-Ddemo.rtspTls=true",
                "-Ddemo.rtspsPort=" + rtspsPort.getPort(), "-Ddemo.port=" + LocalPorts.freeRtpPort(),
                "-Ddemo.sdpFile=" + dir.resolve("stream.sdp"), "-Ddemo.width=640", "-Ddemo.height=360",
                "-Ddemo.pattern=colors");
        Path log = dir.resolve("demo.log");
        Matcher keyStoreDirectory;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("RTSPS server listening"));
            try (ExternalTools.Peer ffmpeg = RtspViewers.ffmpegDecoding(dir.resolve("ffmpeg.log"), url, "tcp", FRAMES,
                    out)) {
                ffmpeg.awaitExit(Duration.ofSeconds(60));
            }
            Matcher logged = FINGERPRINT.matcher(Files.readString(log));
            keyStoreDirectory = Pattern.compile("tlsKeyStoreFile (\\S+)/demo.p12").matcher(Files.readString(log));
            assertThat(keyStoreDirectory.find()).as("keystore named in the log").isTrue();
            assertThat(logged.find()).as("fingerprint in the log").isTrue();
            assertThat(DemoRtsps.fingerprint(presentedCertificate(rtspsPort.getPort()))).isEqualTo(logged.group(1));
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
            app.destroyForcibly();
        }
        assertThat(Path.of(keyStoreDirectory.group(1))).as("keystore deleted at exit").doesNotExist();
        assertThat(Files.readAllLines(log)).filteredOn(line -> line.contains("tlsKeyStorePassword"))
                .allMatch(line -> line.matches(".*tlsKeyStorePassword=x+\\b.*") || !line.contains("tlsKeyStorePassword="));
        Path reference = dir.resolve("reference.jpg");
        Files.write(reference, TestImages.gstJpegSequence(dir, "colors", 640, 360, 1).get(0));
        byte[] expected = TestImages.ffmpegDecodeI420(reference);
        byte[] received = Files.readAllBytes(out);
        assertThat(received).hasSize(FRAMES * FRAME_BYTES);
        for (int i = 0; i < FRAMES; i++) {
            Pixels.assertIdentical(Arrays.copyOfRange(received, i * FRAME_BYTES, (i + 1) * FRAME_BYTES), expected,
                    "rtsps frame " + i);
        }
    }

    /** The certificate the server shows a client that accepts any, as a viewer comparing fingerprints would. */
    private static X509Certificate presentedCertificate(int port) throws Exception {
        X509Certificate[] presented = new X509Certificate[1];
        TrustManager acceptingAny = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {acceptingAny}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
        }
        return presented[0];
    }
}
