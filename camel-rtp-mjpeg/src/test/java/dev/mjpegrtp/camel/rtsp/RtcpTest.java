package dev.mjpegrtp.camel.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {

    private static final int SSRC = 0xCAFEBABE;

    @Test
    void senderReportCarriesClocksCountsAndCname() {
        ByteBuf out = Unpooled.buffer();
        // 2024-01-01T00:00:00.500Z
        Rtcp.writeSenderReport(out, SSRC, 1_704_067_200_500L, 0x11223344, 1000, 123_456, "mjpeg-rtp");
        assertThat((int) out.getUnsignedByte(0)).isEqualTo(0x80);
        assertThat((int) out.getUnsignedByte(1)).isEqualTo(200);
        assertThat(out.getUnsignedShort(2)).isEqualTo(6);
        assertThat(out.getInt(4)).isEqualTo(SSRC);
        assertThat(out.getUnsignedInt(8)).as("NTP seconds").isEqualTo(1_704_067_200L + 2_208_988_800L);
        assertThat(out.getUnsignedInt(12)).as("NTP fraction of 0.5 s").isEqualTo(0x80000000L);
        assertThat(out.getInt(16)).isEqualTo(0x11223344);
        assertThat(out.getInt(20)).isEqualTo(1000);
        assertThat(out.getInt(24)).isEqualTo(123_456);
        // SDES: header, SSRC, CNAME item (type 1, length 9, text), null-terminated and padded to 32 bits
        assertThat((int) out.getUnsignedByte(28)).isEqualTo(0x81);
        assertThat((int) out.getUnsignedByte(29)).isEqualTo(202);
        int sdesLength = (out.getUnsignedShort(30) + 1) * 4;
        assertThat(28 + sdesLength).isEqualTo(out.readableBytes()).isEqualTo(28 + 20);
        assertThat((int) out.getUnsignedByte(36)).isEqualTo(1);
        assertThat((int) out.getUnsignedByte(37)).isEqualTo(9);
        assertThat(out.toString(38, 9, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("mjpeg-rtp");
        assertThat(out.getByte(47)).isZero();
        assertThat(Rtcp.read(out, SSRC)).as("our own report reads back").isEqualTo(new Rtcp.Feedback(false, null));
        out.release();
    }

    @Test
    void readsTheReceiverReportBlockAboutOurStreamAndBye() {
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x82).writeByte(201).writeShort(13).writeInt(0x0BADF00D); // RR with two blocks
        in.writeInt(0x12345678).writeInt(0x05000007).writeInt(0).writeInt(99).writeInt(0).writeInt(0); // someone else
        in.writeInt(SSRC).writeInt(0x40FFFFFE).writeInt(0).writeInt(450).writeInt(0).writeInt(0); // 25% lost, -2
        in.writeByte(0x81).writeByte(203).writeShort(1).writeInt(0x0BADF00D); // BYE
        Rtcp.Feedback feedback = Rtcp.read(in, SSRC);
        assertThat(feedback.bye()).isTrue();
        assertThat(feedback.report()).isEqualTo(new Rtcp.ReportBlock(0x40, -2, 450));
        in.release();
    }

    @Test
    void rejectsWhatIsNotRtcp() {
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {1, 2}), SSRC)).isNull();
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {0x40, (byte) 201, 0, 1, 0, 0, 0, 0}), SSRC))
                .as("version 1").isNull();
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 201, 0, 9, 0, 0, 0, 0}), SSRC))
                .as("length past the end").isNull();
    }

    @Test
    void byeIsACompoundPacketStartingWithAReport() {
        ByteBuf out = Unpooled.buffer();
        Rtcp.writeBye(out, SSRC, "mjpeg-rtp");
        assertThat((int) out.getUnsignedByte(1)).isEqualTo(201);
        assertThat(Rtcp.read(out, SSRC).bye()).isTrue();
        out.release();
    }
}
