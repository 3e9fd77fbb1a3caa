package dev.mjpegrtp.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@value #ENABLED}{@code =true}, the demo's stream is also served over RTSP over TLS, at
 * {@code rtsps://demo.rtspHost:demo.rtspsPort/demo.rtspPath}, for trying rtsps:// without a certificate of one's own:
 * a self-signed certificate for demo.rtspHost (and localhost) is made at start, and its SHA-256 fingerprint logged so
 * that a viewer can compare it with what it is shown. The demo route sends its frames to {@value #FRAMES}, which only
 * this route consumes; without it they go nowhere. Production takes the user's own certificate (the tls* options).
 *
 * <p>The JDK has no public API to make a certificate, so the JDK's keytool makes it, into a PKCS12 keystore in a
 * directory only this user can read, with a random password that never reaches a command line or a log; both are
 * deleted when the JVM exits.
 */
final class DemoRtsps extends MainListenerSupport {

    static final String ENABLED = "demo.rtspTls";
    /** Where the demo route sends every frame, for the rtsps route to serve when it runs. */
    static final String FRAMES = "direct:demo-rtsps";
    private static final Logger LOG = LoggerFactory.getLogger(DemoRtsps.class);
    private static final String PASSWORD_VARIABLE = "MJPEG_RTP_DEMO_STOREPASS";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        if (!properties.resolveProperty(ENABLED).map(Boolean::parseBoolean).orElse(false)) {
            return;
        }
        String host = properties.resolveProperty("demo.rtspHost").orElse("127.0.0.1");
        try {
            Path directory = Files.createTempDirectory("mjpeg-rtp-demo-tls"); // rwx------
            Path keyStore = directory.resolve("demo.p12");
            // deleted at exit in reverse order: the keystore, then its directory; the server reads it at its start,
            // and again when the route controller restarts the route
            directory.toFile().deleteOnExit();
            keyStore.toFile().deleteOnExit();
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            makeSelfSigned(keyStore, password, host);
            LOG.info("rtsps demo: self-signed certificate for {} made at start, SHA-256 fingerprint {}", host,
                    fingerprint(keyStore, password));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(FRAMES).routeId("demo-rtsps")
                            .to("rtsp-mjpeg:{{demo.rtspHost}}:{{demo.rtspsPort}}/{{demo.rtspPath}}?tlsKeyStoreFile=RAW("
                                + keyStore + ")&tlsKeyStorePassword=RAW(" + password + ")");
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve the demo over rtsps: " + e.getMessage(), e);
        }
    }

    private static void makeSelfSigned(Path keyStore, String password, String host)
            throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String san = "san=dns:localhost" + (host.matches("[0-9.]+|.*:.*") ? ",ip:" + host : ",dns:" + host);
        ProcessBuilder builder = new ProcessBuilder(List.of(keytool, "-genkeypair", "-keyalg", "EC", "-groupname",
                "secp256r1", "-alias", "demo", "-dname", "CN=" + host, "-ext", san, "-validity", "30", "-storetype",
                "PKCS12", "-keystore", keyStore.toString(), "-storepass:env", PASSWORD_VARIABLE))
                .redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(keytool + " failed: " + output.strip());
        }
    }

    /** SHA-256 of the certificate, as {@code openssl x509 -noout -fingerprint -sha256} prints it. */
    static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static String fingerprint(Path keyStore, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        return fingerprint(store.getCertificate("demo"));
    }
}
