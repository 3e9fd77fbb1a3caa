package dev.mjpegrtp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made by the {@code openssl} command in a directory: a CA and the server certificate it
 * signed for 127.0.0.1 and localhost, a second CA that signed nothing the server presents (a client trusting only it
 * must refuse the server), and a client CA with a client certificate it signed. Keys are PEM PKCS#8, EC P-256.
 *
 * @param caCertificate          the CA that signed the server's certificate
 * @param serverCertificate      the server's certificate, for 127.0.0.1 and localhost
 * @param serverKey              its key
 * @param serverKeyStore         both in a PKCS12 keystore, password {@link #KEY_STORE_PASSWORD}
 * @param otherCaCertificate     a CA that signed nothing the server presents
 * @param clientCaCertificate    the CA that signed the client certificate
 * @param clientCertificate      a client certificate
 * @param clientKey              its key
 * @param clientKeyStore         both in a PKCS12 keystore, password {@link #KEY_STORE_PASSWORD}, for Java clients
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path serverKeyStore,
                               Path otherCaCertificate, Path clientCaCertificate, Path clientCertificate,
                               Path clientKey, Path clientKeyStore) {

    public static final String KEY_STORE_PASSWORD = "keystore-secret-4711";
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    public static TestCertificates create(Path dir) throws IOException {
        ExternalTools.require("openssl");
        Path ca = ca(dir, "ca");
        Path serverExtensions = Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Path server = signed(dir, "server", "127.0.0.1", "ca", serverExtensions);
        Path keyStore = keyStore(dir, "server");
        Path otherCa = ca(dir, "other-ca");
        Path clientCa = ca(dir, "client-ca");
        Path clientExtensions = Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        Path client = signed(dir, "client", "viewer", "client-ca", clientExtensions);
        return new TestCertificates(ca, server, dir.resolve("server.key"), keyStore, otherCa, clientCa, client,
                dir.resolve("client.key"), keyStore(dir, "client"));
    }

    private static Path keyStore(Path dir, String name) {
        Path keyStore = dir.resolve(name + ".p12");
        ExternalTools.run(OPENSSL_TIMEOUT, "openssl", "pkcs12", "-export", "-in", dir.resolve(name + ".pem").toString(),
                "-inkey", dir.resolve(name + ".key").toString(), "-name", name, "-out", keyStore.toString(),
                "-passout", "pass:" + KEY_STORE_PASSWORD);
        return keyStore;
    }

    private static Path ca(Path dir, String name) {
        Path certificate = dir.resolve(name + ".pem");
        ExternalTools.run(OPENSSL_TIMEOUT, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out",
                certificate.toString(), "-days", "2", "-subj", "/CN=mjpeg-rtp test " + name, "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return certificate;
    }

    private static Path signed(Path dir, String name, String commonName, String ca, Path extensions) {
        Path request = dir.resolve(name + ".csr");
        ExternalTools.run(OPENSSL_TIMEOUT, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out", request.toString(), "-subj",
                "/CN=" + commonName);
        Path certificate = dir.resolve(name + ".pem");
        ExternalTools.run(OPENSSL_TIMEOUT, "openssl", "x509", "-req", "-in", request.toString(), "-CA",
                dir.resolve(ca + ".pem").toString(), "-CAkey", dir.resolve(ca + ".key").toString(), "-set_serial",
                String.valueOf(System.nanoTime()), "-days", "2", "-extfile", extensions.toString(), "-out",
                certificate.toString());
        return certificate;
    }

    /**
     * A JDK client's TLS context that trusts {@code caCertificate} only.
     *
     * @param clientKeyStore the PKCS12 keystore of the client certificate to present; null for none
     */
    public static SSLContext clientContext(Path caCertificate, Path clientKeyStore)
            throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(caCertificate)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManager[] keys = null;
        if (clientKeyStore != null) {
            char[] password = KEY_STORE_PASSWORD.toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientKeyStore)) {
                store.load(in, password);
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }
}
