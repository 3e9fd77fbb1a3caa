package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/** Counts the frames (marker bits) arriving on one loopback port, in total and within a window, and keeps the SSRC. */
final class RtpFrameCounter extends Thread implements AutoCloseable {

    private final DatagramSocket socket;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean counting;
    private volatile int frames;
    private volatile int framesInWindow;
    private volatile int ssrc;

    RtpFrameCounter(int port) throws IOException {
        super("rtp-frames-" + port);
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setReceiveBufferSize(4 << 20);
        socket.setSoTimeout(100);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[65536];
        RtpHeader header = new RtpHeader();
        while (running.get()) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength()));
            ssrc = header.ssrc();
            if (header.marker()) {
                frames++;
                if (counting) {
                    framesInWindow++;
                }
            }
        }
    }

    void startWindow() {
        counting = true;
    }

    void endWindow() {
        counting = false;
    }

    int frames() {
        return frames;
    }

    int framesInWindow() {
        return framesInWindow;
    }

    int ssrc() {
        return ssrc;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        join();
        socket.close();
    }
}
