package dev.mjpegrtp.camel.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.apache.camel.CamelContext;

/**
 * The TLS a server puts on every connection it accepts, built once from {@link TlsOptions}: the certificate it
 * presents, the client certificates it requires, TLS 1.3 and 1.2 only (older versions have known attacks and no client
 * here needs them). Keys and passwords stay inside; nothing here logs.
 */
public final class ServerTls {

    /** The protocol versions a server accepts, newest first. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Function<ByteBufAllocator, SslHandler> handlers;
    private final TlsOptions options;
    /** Which TLS implementation encrypts: BoringSSL or JDK. */
    private final String engine;

    private ServerTls(Function<ByteBufAllocator, SslHandler> handlers, TlsOptions options, String engine) {
        this.handlers = handlers;
        this.options = options;
        this.engine = engine;
    }

    /**
     * The TLS of {@code options}, or null when they leave TLS off. Reads the key material now, so that a missing file,
     * a wrong password or a key that does not fit its certificate fails the server's start with the option's name.
     */
    public static ServerTls of(TlsOptions options, CamelContext camelContext) {
        if (!options.enabled()) {
            return null;
        }
        try {
            if (options.sslContextParameters() != null) {
                return fromSslContextParameters(options, camelContext);
            }
            SslContextBuilder builder = options.certificateFile() != null
                    ? SslContextBuilder.forServer(readable(options.certificateFile(), "tlsCertificateFile"),
                            readable(options.keyFile(), "tlsKeyFile"))
                    : SslContextBuilder.forServer(keyManagers(options));
            builder.sslProvider(Provider.BEST).protocols(PROTOCOLS);
            if (options.clientCaFile() != null) {
                builder.trustManager(readable(options.clientCaFile(), "tlsClientCaFile")).clientAuth(ClientAuth.REQUIRE);
            }
            SslContext context = builder.build();
            return new ServerTls(context::newHandler, options, Provider.BEST == SslProvider.OPENSSL ? "BoringSSL" : "JDK");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + options + ": " + e.getMessage(), e);
        }
    }

    /**
     * Camel's JSSE configuration, as camel-netty uses it: its SSLContext makes each connection's engine, configured
     * as the parameters say (cipher suites, client authentication), restricted to TLS 1.2 and 1.3.
     */
    private static ServerTls fromSslContextParameters(TlsOptions options, CamelContext camelContext)
            throws GeneralSecurityException, IOException {
        SSLContext context = options.sslContextParameters().createSSLContext(camelContext);
        String[] protocols = Arrays.stream(serverEngine(context).getEnabledProtocols())
                .filter(PROTOCOLS::contains).toArray(String[]::new);
        if (protocols.length == 0) {
            throw new IllegalArgumentException("sslContextParameters enables none of " + PROTOCOLS);
        }
        return new ServerTls(alloc -> {
            SSLEngine engine = serverEngine(context);
            engine.setEnabledProtocols(protocols);
            return new SslHandler(engine);
        }, options, "JDK");
    }

    /**
     * An engine in server mode; an engine from Camel's SSLContext has no mode yet. Setting it keeps the protocols and
     * cipher suites the parameters configured (the JDK resets only defaults to the mode's defaults).
     */
    private static SSLEngine serverEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }

    private static KeyManagerFactory keyManagers(TlsOptions options) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance(options.keyStoreType());
        char[] password = options.keyStorePassword() == null ? null : options.keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(readable(options.keyStoreFile(), "tlsKeyStoreFile").toPath())) {
            keyStore.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, password);
        return factory;
    }

    private static File readable(String path, String option) {
        if (!Files.isReadable(Path.of(path))) {
            throw new IllegalArgumentException(option + " " + path + " is not a readable file");
        }
        return new File(path);
    }

    /** A handler for one accepted connection, its handshake bounded by the handshake timeout. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = handlers.apply(alloc);
        handler.setHandshakeTimeoutMillis(options.handshakeTimeoutMillis());
        return handler;
    }

    /** The options the TLS was built from, which every path of the server must name. */
    public TlsOptions options() {
        return options;
    }

    /** What the server presents and requires and which engine encrypts, without secrets: for its start-up line. */
    @Override
    public String toString() {
        return options + ", " + engine;
    }

    /**
     * BoringSSL (netty-tcnative) where its native library loads, else the JDK: BoringSSL encrypts in native code
     * whatever the JIT, where the JDK's AES-GCM needs C2 to keep up (see docs/benchmarks.md). A holder, so that the
     * native library is loaded by the first TLS server, never by a plain one.
     */
    private static final class Provider {
        static final SslProvider BEST = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
