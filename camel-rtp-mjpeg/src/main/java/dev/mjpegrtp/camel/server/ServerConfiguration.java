package dev.mjpegrtp.camel.server;

import dev.mjpegrtp.camel.rtpmjpeg.AddressFilter;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options every stream path of a server has, rtsp-mjpeg's and http-mjpeg's alike: where the server listens, the
 * path, who may watch it how many at once, and the server's TLS (rtsps://, https://), with their checks. The components' configurations extend it with what
 * their protocol adds.
 */
@UriParams
public abstract class ServerConfiguration implements Cloneable {

    @UriPath(description = "The local address the server listens on: 0.0.0.0 for all interfaces, 127.0.0.1 for this "
                           + "machine only.")
    @Metadata(required = true)
    private String host;
    @UriPath(description = "The TCP port the server listens on (RTSP: 554 by convention, 8554 when not running as "
                           + "root).")
    @Metadata(required = true)
    private int port;
    @UriPath(description = "The stream's path: viewers open rtsp://host:port/path, or http://host:port/path (the "
                           + "page), path.mjpeg (the stream) and path.jpg (the latest frame). Letters, digits and "
                           + "_ ~ - / only, and dots in rtsp-mjpeg's paths.")
    @Metadata(required = true)
    private String path;
    @UriParam(label = "security", secret = true, description = "Viewers must authenticate with this username; "
              + "without it the stream is open to every allowed client.")
    private String username;
    @UriParam(label = "security", secret = true, description = "The password that goes with username. Never "
              + "logged; Camel masks it in endpoint URIs.")
    private String password;
    @UriParam(label = "security", defaultValue = "DIGEST", description = "DIGEST (RFC 7616, MD5, nonces that "
              + "expire; every browser and RTSP client) or BASIC (the password crosses the network readable; for "
              + "clients without Digest).")
    private AuthMethod authMethod = AuthMethod.DIGEST;
    @UriParam(label = "security", description = "Comma-separated CIDR blocks (192.168.1.0/24, 10.0.0.7/32, ::1/128) "
              + "of the clients allowed to watch; others get 403 Forbidden. Unset: any client.")
    private String allowedClients;
    @UriParam(defaultValue = "32", description = "Viewers this path serves at once (RTSP sessions, HTTP .mjpeg "
              + "streams); one more gets 503 Service Unavailable.")
    private int maxViewers = 32;
    @UriParam(defaultValue = "10000", javaType = "java.time.Duration", description = "A viewer over TCP that has "
              + "taken no frame for this long while frames waited for it is disconnected (an HTTP viewer skips "
              + "frames until then).")
    private long viewerTimeout = 10_000;

    @UriParam(label = "security", description = "Serve over TLS (rtsps://, https://) with Camel's JSSE "
              + "configuration: key managers, trust managers, client authentication, cipher suites, as camel-netty's "
              + "option of that name. Excludes the tlsCertificateFile and tlsKeyStoreFile options. Every path of one "
              + "server names the same TLS options.")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "security", description = "Serve over TLS (rtsps://, https://) with the certificate chain in "
              + "this PEM file, the server's certificate first; tlsKeyFile holds its key.")
    private String tlsCertificateFile;
    @UriParam(label = "security", description = "The PEM file (PKCS#8, unencrypted: protect it as a file, readable "
              + "by this process only) of tlsCertificateFile's private key.")
    private String tlsKeyFile;
    @UriParam(label = "security", description = "Serve over TLS (rtsps://, https://) with the key and certificate "
              + "chain in this Java keystore (see tlsKeyStoreType).")
    private String tlsKeyStoreFile;
    @UriParam(label = "security", secret = true, description = "The password of tlsKeyStoreFile and of its key. "
              + "Never logged.")
    private String tlsKeyStorePassword;
    @UriParam(label = "security", defaultValue = "PKCS12", description = "The type of tlsKeyStoreFile: PKCS12 or "
              + "JKS.")
    private String tlsKeyStoreType = "PKCS12";
    @UriParam(label = "security", description = "Require a client certificate signed by one of the CA certificates "
              + "in this PEM file; clients without one fail the TLS handshake. With tlsCertificateFile or "
              + "tlsKeyStoreFile.")
    private String tlsClientCaFile;
    @UriParam(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A TLS "
              + "connection whose handshake has not completed this long after it was accepted is closed.")
    private long tlsHandshakeTimeout = 10_000;

    /** Rejects option values no endpoint can work with, naming the option. */
    public abstract void validate();

    /**
     * Rejects option values no server can work with, naming the option; the path's syntax is the subclass's.
     *
     * @param syntax the endpoint's URI syntax, which the message shows where the host is missing
     */
    protected void validateServer(String syntax) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required: " + syntax);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together: set both or neither");
        }
        if (username != null && (username.isEmpty() || username.indexOf(':') >= 0 || username.indexOf('"') >= 0)) {
            throw new IllegalArgumentException("username must be non-empty, without ':' or '\"'");
        }
        AddressFilter.parse("allowedClients", allowedClients);
        if (maxViewers < 1 || viewerTimeout < 1) {
            throw new IllegalArgumentException("maxViewers and viewerTimeout must be positive");
        }
        tlsOptions();
    }

    /** A field-by-field copy, for the endpoint configurations a component makes from its template. */
    protected ServerConfiguration copyOf() {
        try {
            return (ServerConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** What checks the path's viewers' credentials: {@link ViewerAuthenticator#NONE} without a username. */
    public ViewerAuthenticator authenticator() {
        return username == null ? ViewerAuthenticator.NONE : ViewerAuthenticator.of(authMethod, username, password);
    }

    /** The TLS options, checked: all of them together decide whether and how the server speaks TLS. */
    public TlsOptions tlsOptions() {
        return new TlsOptions(sslContextParameters, tlsCertificateFile, tlsKeyFile, tlsKeyStoreFile,
                tlsKeyStorePassword, tlsKeyStoreType, tlsClientCaFile, tlsHandshakeTimeout);
    }

    /** The client addresses the path serves. */
    public AddressFilter allowedClientsFilter() {
        return AddressFilter.parse("allowedClients", allowedClients);
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public AuthMethod getAuthMethod() {
        return authMethod;
    }

    public void setAuthMethod(AuthMethod authMethod) {
        this.authMethod = authMethod;
    }

    public String getAllowedClients() {
        return allowedClients;
    }

    public void setAllowedClients(String allowedClients) {
        this.allowedClients = allowedClients;
    }

    public int getMaxViewers() {
        return maxViewers;
    }

    public void setMaxViewers(int maxViewers) {
        this.maxViewers = maxViewers;
    }

    public long getViewerTimeout() {
        return viewerTimeout;
    }

    public void setViewerTimeout(long viewerTimeout) {
        this.viewerTimeout = viewerTimeout;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getTlsCertificateFile() {
        return tlsCertificateFile;
    }

    public void setTlsCertificateFile(String tlsCertificateFile) {
        this.tlsCertificateFile = tlsCertificateFile;
    }

    public String getTlsKeyFile() {
        return tlsKeyFile;
    }

    public void setTlsKeyFile(String tlsKeyFile) {
        this.tlsKeyFile = tlsKeyFile;
    }

    public String getTlsKeyStoreFile() {
        return tlsKeyStoreFile;
    }

    public void setTlsKeyStoreFile(String tlsKeyStoreFile) {
        this.tlsKeyStoreFile = tlsKeyStoreFile;
    }

    public String getTlsKeyStorePassword() {
        return tlsKeyStorePassword;
    }

    public void setTlsKeyStorePassword(String tlsKeyStorePassword) {
        this.tlsKeyStorePassword = tlsKeyStorePassword;
    }

    public String getTlsKeyStoreType() {
        return tlsKeyStoreType;
    }

    public void setTlsKeyStoreType(String tlsKeyStoreType) {
        this.tlsKeyStoreType = tlsKeyStoreType;
    }

    public String getTlsClientCaFile() {
        return tlsClientCaFile;
    }

    public void setTlsClientCaFile(String tlsClientCaFile) {
        this.tlsClientCaFile = tlsClientCaFile;
    }

    public long getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public void setTlsHandshakeTimeout(long tlsHandshakeTimeout) {
        this.tlsHandshakeTimeout = tlsHandshakeTimeout;
    }
}
