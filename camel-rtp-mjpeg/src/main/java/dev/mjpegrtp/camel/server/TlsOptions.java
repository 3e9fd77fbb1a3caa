package dev.mjpegrtp.camel.server;

import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The TLS options of a server endpoint: Camel's {@link SSLContextParameters}, or a PEM certificate chain and key, or a
 * Java keystore; optionally the CAs whose client certificates are required. All null: plain TCP. Every path of one
 * server names the same options, so equality says whether two endpoints agree; the parameters bean by identity.
 *
 * @param sslContextParameters    Camel's JSSE configuration; excludes the file options
 * @param certificateFile         PEM certificate chain, the server's certificate first
 * @param keyFile                 PEM PKCS#8 private key of the certificate, unencrypted (protect it as a file)
 * @param keyStoreFile            a Java keystore (PKCS12 or JKS) holding the certificate chain and its key
 * @param keyStorePassword        the keystore's password, also the key's
 * @param keyStoreType            PKCS12 or JKS
 * @param clientCaFile            PEM CA certificates; when set, a client must present a certificate one of them signed
 * @param handshakeTimeoutMillis  a connection whose handshake has not completed within this long is closed
 */
public record TlsOptions(SSLContextParameters sslContextParameters, String certificateFile, String keyFile,
                         String keyStoreFile, String keyStorePassword, String keyStoreType,
                         String clientCaFile, long handshakeTimeoutMillis) {

    /** Rejects combinations no server can use, naming the options; passwords never appear in a message. */
    public TlsOptions {
        boolean files = certificateFile != null || keyFile != null;
        boolean keyStore = keyStoreFile != null;
        if ((sslContextParameters != null ? 1 : 0) + (files ? 1 : 0) + (keyStore ? 1 : 0) > 1) {
            throw new IllegalArgumentException("choose one of sslContextParameters, tlsCertificateFile with "
                    + "tlsKeyFile, or tlsKeyStoreFile");
        }
        if (files && (certificateFile == null || keyFile == null)) {
            throw new IllegalArgumentException("tlsCertificateFile and tlsKeyFile go together: set both or neither");
        }
        if (keyStorePassword != null && !keyStore) {
            throw new IllegalArgumentException("tlsKeyStorePassword is the password of tlsKeyStoreFile, which is not set");
        }
        if (clientCaFile != null && !files && !keyStore) {
            throw new IllegalArgumentException(sslContextParameters == null
                    ? "tlsClientCaFile needs TLS: set tlsCertificateFile and tlsKeyFile, or tlsKeyStoreFile"
                    : "tlsClientCaFile does not combine with sslContextParameters: give its serverParameters "
                      + "clientAuthentication=REQUIRE and trustManagers instead");
        }
        if (handshakeTimeoutMillis < 1) {
            throw new IllegalArgumentException("tlsHandshakeTimeout must be positive");
        }
    }

    /** Whether these options turn TLS on. */
    public boolean enabled() {
        return sslContextParameters != null || certificateFile != null || keyStoreFile != null;
    }

    /** The options without their passwords, which never reach a log line. */
    @Override
    public String toString() {
        if (!enabled()) {
            return "no TLS";
        }
        String keys = sslContextParameters != null ? "sslContextParameters"
                : certificateFile != null ? "tlsCertificateFile " + certificateFile + ", tlsKeyFile " + keyFile
                : "tlsKeyStoreFile " + keyStoreFile + " (" + keyStoreType + ")";
        return keys + (clientCaFile != null ? ", client certificates required, tlsClientCaFile " + clientCaFile : "");
    }
}
