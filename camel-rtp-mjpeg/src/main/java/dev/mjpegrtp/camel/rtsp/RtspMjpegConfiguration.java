package dev.mjpegrtp.camel.rtsp;

import dev.mjpegrtp.camel.rtpmjpeg.AddressFilter;
import dev.mjpegrtp.camel.rtpmjpeg.MjpegStreamConfiguration;
import dev.mjpegrtp.camel.server.TlsOptions;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/** Options of one rtsp-mjpeg endpoint, that is of one stream path; the component keeps one as the template. */
@UriParams
@Configurer
public class RtspMjpegConfiguration extends MjpegStreamConfiguration {

    @UriPath(description = "The stream's path: viewers open rtsp://host:port/path. Letters, digits and . _ ~ - / only.")
    @Metadata(required = true)
    private String path;
    @UriParam(label = "security", secret = true, description = "Viewers must authenticate with this username; "
              + "without it the stream is open to every allowed client.")
    private String username;
    @UriParam(label = "security", secret = true, description = "The password that goes with username. Never "
              + "logged; Camel masks it in endpoint URIs.")
    private String password;
    @UriParam(label = "security", defaultValue = "DIGEST", description = "DIGEST (RFC 7616, MD5, nonces that "
              + "expire) or BASIC (the password crosses the network readable; for clients without Digest).")
    private RtspAuthMethod authMethod = RtspAuthMethod.DIGEST;
    @UriParam(label = "security", description = "Comma-separated CIDR blocks (192.168.1.0/24, 10.0.0.7/32, ::1/128) "
              + "of the clients allowed to watch; others get 403 Forbidden. Unset: any client.")
    private String allowedClients;
    @UriParam(defaultValue = "32", description = "Viewers (RTSP sessions) this path serves at once; one more gets "
              + "503 Service Unavailable.")
    private int maxViewers = 32;
    @UriParam(label = "advanced", defaultValue = "8", description = "Whole frames each viewer may have waiting to be "
              + "sent. A viewer this far behind loses the newest frames (counted) instead of holding memory or "
              + "slowing the route and the other viewers.")
    private int maxQueuedFrames = 8;
    @UriParam(defaultValue = "10000", javaType = "java.time.Duration", description = "A TCP viewer that has taken "
              + "no frame for this long while frames waited for it is disconnected.")
    private long viewerTimeout = 10_000;
    @UriParam(label = "advanced", defaultValue = "0", description = "The server's UDP port for RTP to UDP viewers, "
              + "even; RTCP uses the port above it (RFC 3550 section 11). SETUP replies name the pair as server_port, "
              + "so a firewall can open exactly these two ports. 0: a free pair chosen when the server starts. Paths "
              + "on the same host:port share the server's ports, so their endpoints must name the same rtpPort.")
    private int rtpPort;

    @UriParam(label = "security", description = "Serve rtsps:// (RTSP over TLS, RTP and RTCP interleaved in the "
              + "TLS connection) with Camel's JSSE configuration: key managers, trust managers, client "
              + "authentication, cipher suites, as camel-netty's option of that name. Excludes the tlsCertificateFile "
              + "and tlsKeyStoreFile options.")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "security", description = "Serve rtsps:// with the certificate chain in this PEM file, the "
              + "server's certificate first; tlsKeyFile holds its key.")
    private String tlsCertificateFile;
    @UriParam(label = "security", description = "The PEM file (PKCS#8, unencrypted: protect it as a "
              + "file, readable by this process only) of tlsCertificateFile's private key.")
    private String tlsKeyFile;
    @UriParam(label = "security", description = "Serve rtsps:// with the key and certificate chain in this Java "
              + "keystore (see tlsKeyStoreType).")
    private String tlsKeyStoreFile;
    @UriParam(label = "security", secret = true, description = "The password of tlsKeyStoreFile and of its key. "
              + "Never logged.")
    private String tlsKeyStorePassword;
    @UriParam(label = "security", defaultValue = "PKCS12", description = "The type of tlsKeyStoreFile: PKCS12 or "
              + "JKS.")
    private String tlsKeyStoreType = "PKCS12";
    @UriParam(label = "security", description = "Require a client certificate signed by one of the CA "
              + "certificates in this PEM file; clients without one fail the TLS handshake. With tlsCertificateFile "
              + "or tlsKeyStoreFile.")
    private String tlsClientCaFile;
    @UriParam(label = "security", defaultValue = "10000", javaType = "java.time.Duration", description = "A TLS "
              + "connection whose handshake has not completed this long after it was accepted is closed.")
    private long tlsHandshakeTimeout = 10_000;

    public RtspMjpegConfiguration copy() {
        return (RtspMjpegConfiguration) copyOf();
    }

    /** Rejects option values no endpoint can work with, naming the option. */
    public void validate() {
        validateStream("rtsp-mjpeg:host:port/path");
        StreamPath.normalize(path);
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together: set both or neither");
        }
        if (username != null && (username.isEmpty() || username.indexOf(':') >= 0 || username.indexOf('"') >= 0)) {
            throw new IllegalArgumentException("username must be non-empty, without ':' or '\"'");
        }
        AddressFilter.parse("allowedClients", allowedClients);
        tlsOptions();
        if (maxViewers < 1 || maxQueuedFrames < 1 || viewerTimeout < 1) {
            throw new IllegalArgumentException("maxViewers, maxQueuedFrames and viewerTimeout must be positive");
        }
        if (rtpPort != 0 && (rtpPort < 2 || rtpPort > 65534 || rtpPort % 2 != 0)) {
            throw new IllegalArgumentException("rtpPort " + rtpPort + " must be 0 or even in 2..65534: RTCP uses "
                    + "the port above it");
        }
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

    public RtspAuthMethod getAuthMethod() {
        return authMethod;
    }

    public void setAuthMethod(RtspAuthMethod authMethod) {
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

    public int getMaxQueuedFrames() {
        return maxQueuedFrames;
    }

    public void setMaxQueuedFrames(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    public long getViewerTimeout() {
        return viewerTimeout;
    }

    public void setViewerTimeout(long viewerTimeout) {
        this.viewerTimeout = viewerTimeout;
    }

    public int getRtpPort() {
        return rtpPort;
    }

    public void setRtpPort(int rtpPort) {
        this.rtpPort = rtpPort;
    }

    /** The TLS options, checked: all of them together decide whether and how the server speaks TLS. */
    public TlsOptions tlsOptions() {
        return new TlsOptions(sslContextParameters, tlsCertificateFile, tlsKeyFile, tlsKeyStoreFile,
                tlsKeyStorePassword, tlsKeyStoreType, tlsClientCaFile, tlsHandshakeTimeout);
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
