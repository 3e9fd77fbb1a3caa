package dev.mjpegrtp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/**
 * An RTP/JPEG sender on a plain UDP socket bound to a chosen local address (127.0.0.1, 127.0.0.2, ... are all
 * loopback on Linux), for tests that need senders at distinct source addresses or that forge a stream's SSRC.
 */
public final class RtpSenderSocket implements AutoCloseable {

    private static final int MTU = 1400;

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final int ssrc;
    private int sequence;
    private int timestamp;

    public RtpSenderSocket(String localAddress, int targetPort, int ssrc) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(localAddress, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.target = new InetSocketAddress("127.0.0.1", targetPort);
        this.ssrc = ssrc;
        this.sequence = ssrc & 0x7FFF;
        this.timestamp = ssrc * 7;
    }

    /** The RTP packets of one frame under this sender's SSRC, the given first sequence number and timestamp. */
    public List<byte[]> packets(byte[] jpeg, int firstSequence, int frameTimestamp) {
        return packets(new JpegParser().parse(jpeg), firstSequence, frameTimestamp);
    }

    /** As {@link #packets(byte[], int, int)}, of a frame already laid out (one JpegParser would not make). */
    public List<byte[]> packets(JpegFrame jpeg, int firstSequence, int frameTimestamp) {
        Rfc2435Frame frame = new Rfc2435Frame(jpeg, MTU);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer packet = ByteBuffer.allocate(RtpHeader.LENGTH + frame.payloadLength(i));
            RtpHeader.write(packet, RtpHeader.PAYLOAD_TYPE_JPEG, i == frame.packetCount() - 1,
                    (firstSequence + i) & 0xFFFF, frameTimestamp, ssrc);
            frame.writePayload(i, packet);
            packets.add(packet.array());
        }
        return packets;
    }

    /** Sends one frame as the next of this sender's stream: sequence numbers and a timestamp 1/30 s later. */
    public int sendFrame(byte[] jpeg) {
        return sendFrame(new JpegParser().parse(jpeg));
    }

    public int sendFrame(JpegFrame jpeg) {
        List<byte[]> packets = packets(jpeg, sequence, timestamp);
        packets.forEach(this::send);
        sequence += packets.size();
        timestamp += RtpHeader.CLOCK_RATE / 30;
        return packets.size();
    }

    public void send(byte[] packet) {
        try {
            socket.send(new DatagramPacket(packet, packet.length, target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next sequence number and the next frame's timestamp of this sender's stream. */
    public int nextSequence() {
        return sequence & 0xFFFF;
    }

    public int nextTimestamp() {
        return timestamp;
    }

    /**
     * The frame with its 8-bit quantization tables sent as 16-bit ones (precision bits set, values unchanged): legal,
     * and what makes a receiving producer transcode each frame to 8-bit tables.
     */
    public static JpegFrame withSixteenBitTables(JpegFrame frame) {
        byte[] data = new byte[2 * 128 + frame.scanLength()];
        for (int k = 0; k < 64; k++) {
            data[2 * k + 1] = frame.data()[frame.lumaTableOffset() + k];
            data[128 + 2 * k + 1] = frame.data()[frame.chromaTableOffset() + k];
        }
        System.arraycopy(frame.data(), frame.scanOffset(), data, 256, frame.scanLength());
        return new JpegFrame(data, 256, frame.scanLength(), frame.type(), frame.width(), frame.height(),
                frame.restartInterval(), JpegParser.DYNAMIC_TABLES_Q, 0, 128, 3);
    }

    @Override
    public void close() {
        socket.close();
    }
}
