package dev.mjpegrtp.camel.server;

import java.nio.file.Path;

import javax.net.ssl.SSLEngine;

import dev.mjpegrtp.testing.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What TLS options make of a connection's engine, and the combinations they refuse. */
class ServerTlsTest {

    private static final long TIMEOUT = 10_000;

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.create(pki);
    }

    @Test
    void noTlsOptionsMeanPlainTcp() {
        assertThat(ServerTls.of(new TlsOptions(null, null, null, null, null, "PKCS12", null, TIMEOUT),
                new DefaultCamelContext())).isNull();
    }

    @Test
    void pemFilesMakeBoringSslServerEnginesOfTls13And12Only() {
        ServerTls tls = ServerTls.of(new TlsOptions(null, certificates.serverCertificate().toString(),
                certificates.serverKey().toString(), null, null, "PKCS12", null, TIMEOUT), new DefaultCamelContext());
        SSLEngine engine = engine(tls);
        // netty-tcnative's native library loads on the platforms CI runs on; elsewhere the JDK's engine serves
        assertThat(OpenSsl.isAvailable()).as("BoringSSL available: " + OpenSsl.unavailabilityCause()).isTrue();
        assertThat(engine).isInstanceOf(ReferenceCountedOpenSslEngine.class);
        assertThat(engine.getUseClientMode()).isFalse();
        // Netty's OpenSSL engine always lists SSLv2Hello, the old hello format, which is no protocol version
        assertThat(engine.getEnabledProtocols()).filteredOn(protocol -> !protocol.equals("SSLv2Hello"))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getNeedClientAuth()).isFalse();
    }

    @Test
    void aClientCaRequiresClientCertificates() {
        ServerTls tls = ServerTls.of(new TlsOptions(null, null, null, certificates.serverKeyStore().toString(),
                TestCertificates.KEY_STORE_PASSWORD, "PKCS12", certificates.clientCaCertificate().toString(), TIMEOUT),
                new DefaultCamelContext());
        assertThat(engine(tls).getNeedClientAuth()).isTrue();
    }

    @Test
    void sslContextParametersKeepOnlyTls13And12() {
        SSLContextParameters parameters = parameters("TLSv1.3", "TLSv1.2", "TLSv1.1");
        ServerTls tls = ServerTls.of(new TlsOptions(parameters, null, null, null, null, "PKCS12", null, TIMEOUT),
                new DefaultCamelContext());
        SSLEngine engine = engine(tls);
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getEnabledProtocols()).isNotEmpty().isSubsetOf("TLSv1.3", "TLSv1.2");
    }

    @Test
    void sslContextParametersWithoutTls13Or12FailNamingTheVersions() {
        SSLContextParameters parameters = parameters("TLSv1.1");
        assertThatThrownBy(() -> ServerTls.of(new TlsOptions(parameters, null, null, null, null, "PKCS12", null,
                TIMEOUT), new DefaultCamelContext())).hasMessageContaining("enables none of [TLSv1.3, TLSv1.2]");
    }

    @Test
    void aWrongKeyStorePasswordFailsNamingTheOptionNotThePassword() {
        assertThatThrownBy(() -> ServerTls.of(new TlsOptions(null, null, null, certificates.serverKeyStore().toString(),
                "not-the-password-1234", "PKCS12", null, TIMEOUT), new DefaultCamelContext()))
                .hasMessageContaining("tlsKeyStoreFile").hasMessageNotContaining("not-the-password-1234");
    }

    @Test
    void aMissingFileFailsNamingTheOption() {
        assertThatThrownBy(() -> ServerTls.of(new TlsOptions(null, "/nonexistent/cert.pem",
                certificates.serverKey().toString(), null, null, "PKCS12", null, TIMEOUT), new DefaultCamelContext()))
                .hasMessageContaining("tlsCertificateFile /nonexistent/cert.pem is not a readable file");
    }

    @Test
    void combinationsNoServerCanUseAreRefused() {
        assertThatThrownBy(() -> new TlsOptions(new SSLContextParameters(), "cert.pem", "key.pem", null, null, "PKCS12",
                null, TIMEOUT)).hasMessageContaining("choose one of");
        assertThatThrownBy(() -> new TlsOptions(null, "cert.pem", null, null, null, "PKCS12", null, TIMEOUT))
                .hasMessageContaining("tlsCertificateFile and tlsKeyFile go together");
        assertThatThrownBy(() -> new TlsOptions(null, null, null, null, null, "PKCS12", "ca.pem", TIMEOUT))
                .hasMessageContaining("tlsClientCaFile needs TLS");
        assertThatThrownBy(() -> new TlsOptions(null, null, null, null, "secret", "PKCS12", null, TIMEOUT))
                .hasMessageContaining("tlsKeyStorePassword is the password of tlsKeyStoreFile");
    }

    @Test
    void theDescriptionNamesFilesButNoPassword() {
        TlsOptions options = new TlsOptions(null, null, null, "/etc/keys/server.p12", "store-secret-99", "PKCS12",
                "/etc/keys/ca.pem", TIMEOUT);
        assertThat(options.toString()).contains("/etc/keys/server.p12", "/etc/keys/ca.pem")
                .doesNotContain("store-secret-99");
    }

    private static SSLEngine engine(ServerTls tls) {
        SslHandler handler = tls.newHandler(ByteBufAllocator.DEFAULT);
        assertThat(handler.getHandshakeTimeoutMillis()).isEqualTo(TIMEOUT);
        return handler.engine();
    }

    private static SSLContextParameters parameters(String... protocols) {
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource("file:" + certificates.serverKeyStore());
        keyStore.setPassword(TestCertificates.KEY_STORE_PASSWORD);
        keyStore.setType("PKCS12");
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(TestCertificates.KEY_STORE_PASSWORD);
        SecureSocketProtocolsParameters versions = new SecureSocketProtocolsParameters();
        versions.getSecureSocketProtocol().addAll(java.util.List.of(protocols));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setSecureSocketProtocols(versions);
        return parameters;
    }
}
