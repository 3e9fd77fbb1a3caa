package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An attack of RTP frames from a UDP socket of the attacker's own address, at a steady rate: each frame's packets come
 * from {@link #frame(int)}, under one RTP timestamp, with sequence numbers from {@link #nextSequence()}.
 */
abstract class PacedRtpAttack extends BoundedAttack {

    protected final InetAddress source;
    protected final InetSocketAddress target;
    protected final int ssrc;
    private final int framesPerSecond;
    private DatagramSocket socket;
    private int sequence;
    private int timestamp;
    private volatile int framesSent;

    /**
     * @param source          a loopback address of the attacker's own (127.0.0.x)
     * @param target          the rtp-mjpeg consumer's address
     * @param ssrc            the SSRC the frames claim
     * @param firstSequence   the first packet's sequence number
     * @param firstTimestamp  the first frame's RTP timestamp
     */
    PacedRtpAttack(String name, InetAddress source, InetSocketAddress target, int ssrc, int framesPerSecond,
                   int firstSequence, int firstTimestamp) {
        super(name);
        this.source = source;
        this.target = target;
        this.ssrc = ssrc;
        this.framesPerSecond = framesPerSecond;
        this.sequence = firstSequence;
        this.timestamp = firstTimestamp;
    }

    /** The packets of one frame, whole RTP packets, under {@code timestamp}. */
    protected abstract byte[][] frame(int timestamp);

    protected final int nextSequence() {
        return sequence++ & 0xFFFF;
    }

    protected final int framesSent() {
        return framesSent;
    }

    @Override
    protected final void attack() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(source, 0));
        long next = System.nanoTime();
        while (running()) {
            for (byte[] packet : frame(timestamp)) {
                socket.send(new DatagramPacket(packet, packet.length, target));
            }
            framesSent++;
            timestamp += 90_000 / framesPerSecond;
            next += 1_000_000_000L / framesPerSecond;
            pause((next - System.nanoTime()) / 1_000_000);
        }
    }

    @Override
    protected final void release() {
        if (socket != null) {
            socket.close();
        }
    }
}
