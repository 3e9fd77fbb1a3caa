package dev.mjpegrtp.testing.hostile;

import java.nio.ByteBuffer;

/**
 * RTP/JPEG packets written field by field, as a hostile sender makes them: the RTP fixed header (RFC 3550 §5.1), the
 * ONVIF JPEG header extension with a SOF segment, the RFC 2435 main, restart marker and quantization table headers.
 * Nothing here checks that what a packet claims is true; that is the point.
 */
final class HostileRtp {

    static final int PAYLOAD_TYPE_JPEG = 26;
    /** RFC 2435 type 0 (4:2:2, 16x8 MCUs) with restart markers. */
    static final int TYPE_0_WITH_RESTARTS = 64;
    /** ONVIF extension: header, SOF0 segment of 9 bytes (the shortest that holds the size), 3 bytes of 0xFF fill. */
    static final int ONVIF_EXTENSION_LENGTH = 16;

    private HostileRtp() {
    }

    static void rtpHeader(ByteBuffer packet, boolean extension, boolean marker, int sequence, int timestamp, int ssrc) {
        packet.put((byte) (0x80 | (extension ? 0x10 : 0)));
        packet.put((byte) ((marker ? 0x80 : 0) | PAYLOAD_TYPE_JPEG));
        packet.putShort((short) sequence).putInt(timestamp).putInt(ssrc);
    }

    /** The ONVIF JPEG header extension of a frame's first packet, claiming {@code width} x {@code height}. */
    static void onvifSizeExtension(ByteBuffer packet, int width, int height) {
        packet.putShort((short) 0xFFD8).putShort((short) 3); // profile, length in 32-bit words
        packet.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 7).put((byte) 8); // SOF0, segment length, precision
        packet.putShort((short) height).putShort((short) width);
        packet.put((byte) 0xFF).put((byte) 0xFF).put((byte) 0xFF);
    }

    /** @param width8 width in units of 8 pixels, 0 for "over 2040" */
    static void mainHeader(ByteBuffer packet, int fragmentOffset, int type, int q, int width8, int height8) {
        packet.putInt(fragmentOffset & 0xFFFFFF); // type-specific byte 0, then the 24-bit offset
        packet.put((byte) type).put((byte) q).put((byte) width8).put((byte) height8);
    }

    static void restartHeader(ByteBuffer packet, int interval, boolean first, boolean last, int count) {
        packet.putShort((short) interval);
        packet.putShort((short) ((first ? 0x8000 : 0) | (last ? 0x4000 : 0) | (count & 0x3FFF)));
    }

    /** A quantization table header of two 16-bit tables (precision 3, 256 bytes) whose every entry is {@code value}. */
    static void sixteenBitTables(ByteBuffer packet, int value) {
        packet.put((byte) 0).put((byte) 3).putShort((short) 256);
        for (int i = 0; i < 128; i++) {
            packet.putShort((short) value);
        }
    }

    static byte[] bytes(ByteBuffer packet) {
        byte[] bytes = new byte[packet.position()];
        packet.flip().get(bytes);
        return bytes;
    }
}
