package dev.mjpegrtp.camel.server;

import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.mjpegrtp.camel.http.HttpMjpegComponent;
import dev.mjpegrtp.camel.http.HttpMjpegEndpoint;
import dev.mjpegrtp.camel.rtsp.RtspMjpegComponent;
import dev.mjpegrtp.testing.TestCertificates;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * useGlobalSslContextParameters, as Camel's TLS components have it: paths without TLS options of their own serve over
 * TLS with the CamelContext's SSLContextParameters; a path with its own options keeps them.
 */
class GlobalSslContextParametersTest extends CamelTestSupport {

    @TempDir
    static Path pki;
    static TestCertificates certificates;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();
    @RegisterExtension
    AvailablePortFinder.Port httpPort = AvailablePortFinder.find();
    @RegisterExtension
    AvailablePortFinder.Port ownPort = AvailablePortFinder.find();

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.create(pki);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource("file:" + certificates.serverKeyStore());
        keyStore.setPassword(TestCertificates.KEY_STORE_PASSWORD);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(TestCertificates.KEY_STORE_PASSWORD);
        SSLContextParameters global = new SSLContextParameters();
        global.setKeyManagers(keyManagers);
        context.setSSLContextParameters(global);
        context.getComponent("rtsp-mjpeg", RtspMjpegComponent.class).setUseGlobalSslContextParameters(true);
        context.getComponent("http-mjpeg", HttpMjpegComponent.class).setUseGlobalSslContextParameters(true);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:rtsp").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/global");
                from("direct:http").to("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/global");
                from("direct:own").to("http-mjpeg:127.0.0.1:" + ownPort.getPort() + "/own?tlsCertificateFile="
                        + certificates.serverCertificate() + "&tlsKeyFile=" + certificates.serverKey());
            }
        };
    }

    @Test
    void pathsWithoutTlsOptionsServeTlsWithTheGlobalParameters() throws Exception {
        assertThat(context.getEndpoint("http-mjpeg:127.0.0.1:" + httpPort.getPort() + "/global",
                HttpMjpegEndpoint.class).getUrl()).isEqualTo("https://127.0.0.1:" + httpPort.getPort() + "/global");
        assertThat(handshakeProtocol(rtspPort.getPort())).isIn("TLSv1.3", "TLSv1.2");
        assertThat(handshakeProtocol(httpPort.getPort())).isIn("TLSv1.3", "TLSv1.2");
        HttpMjpegEndpoint own = context.getEndpoint("http-mjpeg:127.0.0.1:" + ownPort.getPort() + "/own?tlsCertificateFile="
                + certificates.serverCertificate() + "&tlsKeyFile=" + certificates.serverKey(), HttpMjpegEndpoint.class);
        assertThat(own.getConfiguration().getSslContextParameters()).as("its own options kept").isNull();
        assertThat(handshakeProtocol(ownPort.getPort())).isIn("TLSv1.3", "TLSv1.2");
    }

    /** The protocol a JDK client trusting the test CA agrees with the server on. */
    private static String handshakeProtocol(int port) throws Exception {
        KeyStoreParameters trusted = new KeyStoreParameters();
        trusted.setResource("file:" + certificates.serverKeyStore());
        trusted.setPassword(TestCertificates.KEY_STORE_PASSWORD);
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trusted);
        SSLContextParameters client = new SSLContextParameters();
        client.setTrustManagers(trustManagers);
        SSLContext context = client.createSSLContext(new org.apache.camel.impl.DefaultCamelContext());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}
