package dev.mjpegrtp.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-socket RTSP client for tests that need to see the protocol itself: exact status codes and headers,
 * malformed input, interleaved packets, a viewer that stops reading. It checks our server without trusting a client
 * library; interoperability is what the FFmpeg and GStreamer tests check.
 */
public final class RtspTestClient implements AutoCloseable {

    private static final Pattern RTP_INFO = Pattern.compile("seq=(\\d+);rtptime=(\\d+)");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String url;
    private final Deque<Interleaved> interleaved = new ArrayDeque<>();
    private int cseq;

    public RtspTestClient(String host, int port, String path) throws IOException {
        this(host, port, path, 0);
    }

    /** @param receiveBufferSize SO_RCVBUF, set before connecting; 0 for the system's default */
    public RtspTestClient(String host, int port, String path, int receiveBufferSize) throws IOException {
        this(null, host, port, path, receiveBufferSize);
    }

    /** A client connecting from {@code localAddress} (such as 127.0.0.2), as another machine would. */
    public static RtspTestClient from(String localAddress, String host, int port, String path) throws IOException {
        return new RtspTestClient(localAddress, host, port, path);
    }

    /**
     * A client from another loopback address than 127.0.0.1 (any of 127.0.0.0/8 works on Linux), as a second host.
     *
     * @param localHost the address to connect from; null for the system's choice
     */
    public RtspTestClient(String localHost, String host, int port, String path) throws IOException {
        this(localHost == null ? null : InetAddress.getByName(localHost), host, port, path, 0);
    }

    /**
     * @param localAddress      the address to connect from (another 127.0.0.x than the viewers', as another host
     *                          would); {@code null} for the system's choice
     * @param receiveBufferSize SO_RCVBUF, set before connecting; 0 for the system's default
     */
    public RtspTestClient(InetAddress localAddress, String host, int port, String path, int receiveBufferSize)
            throws IOException {
        this.socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(host, port));
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.url = "rtsp://" + host + ":" + port + "/" + path;
    }

    /** The stream's URL. */
    public String url() {
        return url;
    }

    /** The URL of the stream's track, as the SDP's a=control names it. */
    public String trackUrl() {
        return url + "/trackID=0";
    }

    public Socket socket() {
        return socket;
    }

    /** Sends a request with the next CSeq and the given header lines, and reads its response. */
    public Response request(String method, String requestUrl, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(requestUrl).append(" RTSP/1.0\r\n")
                .append("CSeq: ").append(++cseq).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        send(request.append("\r\n").toString());
        return readResponse();
    }

    /** DESCRIBE, SETUP and PLAY over TCP interleaved; returns the PLAY response, which knows the SETUP's. */
    public Response playInterleaved(String... authorization) throws IOException {
        request("DESCRIBE", url, authorization).expect(200);
        Response setup = request("SETUP", trackUrl(), with(authorization, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))
                .expect(200);
        Response play = request("PLAY", url, with(authorization, "Session: " + setup.session())).expect(200);
        return new Response(play.status(), play.headers(), play.body(), setup);
    }

    private static String[] with(String[] lines, String line) {
        String[] all = java.util.Arrays.copyOf(lines, lines.length + 1);
        all[lines.length] = line;
        return all;
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next response; interleaved packets that come first are kept for {@link #readInterleaved}. */
    public Response readResponse() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("connection closed before a response");
            }
            if (first == '$') {
                interleaved.add(readInterleavedBody());
                continue;
            }
            String statusLine = (char) first + readLine();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].equals("RTSP/1.0")) {
                throw new IOException("not an RTSP response: " + statusLine);
            }
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8), null);
        }
    }

    /** The next interleaved packet ({@code $}, channel, length, data). */
    public Interleaved readInterleaved() throws IOException {
        if (!interleaved.isEmpty()) {
            return interleaved.poll();
        }
        int first = in.read();
        if (first != '$') {
            throw new IOException(first < 0 ? "connection closed" : "expected an interleaved packet, got " + first);
        }
        return readInterleavedBody();
    }

    private Interleaved readInterleavedBody() throws IOException {
        int channel = in.read();
        int length = in.read() << 8 | in.read();
        byte[] data = in.readNBytes(length);
        if (channel < 0 || data.length != length) {
            throw new EOFException("connection closed inside an interleaved packet");
        }
        return new Interleaved(channel, data);
    }

    /** Whether the server closes the connection within {@code timeout}; whatever it still sends is skipped. */
    public boolean closedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] skip = new byte[65536];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(skip) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed inside a line");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The Authorization header line answering a Digest challenge, with qop=auth (and nc 1) when {@code withQop}. */
    public static String digestAuthorization(String challenge, String method, String uri, String username,
                                             String password, boolean withQop) {
        if (!withQop) {
            String realm = param(challenge, "realm");
            String nonce = param(challenge, "nonce");
            String ha1 = md5(username + ":" + realm + ":" + password);
            String ha2 = md5(method + ":" + uri);
            return "Authorization: Digest username=\"" + username + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                    + "\", uri=\"" + uri + "\", response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\"";
        }
        return digestAuthorization(challenge, method, uri, username, password, 1);
    }

    /** The Authorization header line answering a Digest challenge with qop=auth, as the request {@code nc} on its nonce. */
    public static String digestAuthorization(String challenge, String method, String uri, String username,
                                             String password, int nonceCount) {
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String ha1 = md5(username + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String cnonce = "0a4f113b";
        String nc = String.format("%08x", nonceCount);
        return "Authorization: Digest username=\"" + username + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\""
                + md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2) + "\", algorithm=MD5";
    }

    public static String basicAuthorization(String username, String password) {
        return "Authorization: Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A parameter of a challenge such as {@code Digest realm="x", nonce="y"}. */
    public static String param(String challenge, String name) {
        Matcher matcher = Pattern.compile(name + "=\"?([^\",]*)\"?").matcher(challenge);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response: status code, headers by lower-case name, body; for a PLAY, the SETUP response before it. */
    public record Response(int status, Map<String, String> headers, String body, Response setup) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The session id of the Session header, without its timeout. */
        public String session() {
            String session = header("session");
            return session == null ? null : session.split(";")[0];
        }

        public int rtpInfoSequence() {
            return Integer.parseInt(rtpInfo().group(1));
        }

        public long rtpInfoTimestamp() {
            return Long.parseLong(rtpInfo().group(2));
        }

        private Matcher rtpInfo() {
            Matcher matcher = RTP_INFO.matcher(header("rtp-info"));
            if (!matcher.find()) {
                throw new IllegalStateException("no seq and rtptime in RTP-Info: " + header("rtp-info"));
            }
            return matcher;
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected RTSP " + expected + ", got " + status + " " + headers);
            }
            return this;
        }
    }

    /** A packet from the server on an interleaved channel. */
    public record Interleaved(int channel, byte[] data) {
    }
}
