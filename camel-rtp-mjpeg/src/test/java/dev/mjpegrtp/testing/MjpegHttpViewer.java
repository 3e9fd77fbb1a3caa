package dev.mjpegrtp.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A browser-like viewer of an HTTP MJPEG stream ({@code multipart/x-mixed-replace}) on a plain socket: sends the GET
 * and reads the parts one by one, each by its Content-Length, as a browser's {@code <img>} does.
 */
public final class MjpegHttpViewer implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final String statusLine;
    private final String contentType;

    public MjpegHttpViewer(String host, int port, String path) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        statusLine = line();
        String type = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                type = header.substring("content-type:".length()).trim();
            }
        }
        contentType = type;
    }

    public String statusLine() {
        return statusLine;
    }

    public String contentType() {
        return contentType;
    }

    /** The next part's JPEG; fails on anything that is not a boundary and a part with Content-Type and length. */
    public byte[] nextFrame() throws IOException {
        String boundary = line();
        if (boundary.isEmpty()) {
            boundary = line();
        }
        if (!boundary.startsWith("--")) {
            throw new IOException("expected a boundary, got: " + boundary);
        }
        int length = -1;
        String type = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            } else if (lower.startsWith("content-type:")) {
                type = header.substring("content-type:".length()).trim();
            }
        }
        if (length < 0 || !"image/jpeg".equals(type)) {
            throw new IOException("part without Content-Length or image/jpeg: " + length + ", " + type);
        }
        return in.readNBytes(length);
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the stream");
            }
            if (b != '\r') {
                bytes.write(b);
            }
            if (bytes.size() > 8192) {
                throw new IOException("a line longer than 8 KB");
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
