package dev.mjpegrtp.camel.rtpmjpeg;

import java.time.Instant;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {

    private static final int SSRC = 0xCAFEBABE;

    @Test
    void senderReportCarriesClocksCountsAndCname() {
        ByteBuf out = Unpooled.buffer();
        // 2024-01-01T00:00:00.500Z
        Rtcp.writeSenderReport(out, SSRC, Rtcp.ntpTimestamp(Instant.parse("2024-01-01T00:00:00.500Z")), 0x11223344,
                1000, 123_456);
        Rtcp.writeSourceDescription(out, SSRC, Rtcp.cname("mjpeg-rtp"));
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
        assertThat(Rtcp.read(out, SSRC, -1)).as("our own report reads back: no viewer's")
                .isEqualTo(new Rtcp.Feedback(-1, false, null));
        out.release();
    }

    @Test
    void readsTheReceiverReportBlockAboutOurStreamAndBye() {
        ByteBuf in = Unpooled.buffer();
        in.writeByte(0x82).writeByte(201).writeShort(13).writeInt(0x0BADF00D); // RR with two blocks
        in.writeInt(0x12345678).writeInt(0x05000007).writeInt(0).writeInt(99).writeInt(0).writeInt(0); // someone else
        in.writeInt(SSRC).writeInt(0x40FFFFFE).writeInt(0).writeInt(450).writeInt(0).writeInt(0); // 25% lost, -2
        in.writeByte(0x81).writeByte(203).writeShort(1).writeInt(0x0BADF00D); // BYE
        Rtcp.Feedback feedback = Rtcp.read(in, SSRC, -1);
        assertThat(feedback.viewerSsrc()).as("learned from its report about our stream").isEqualTo(0x0BADF00DL);
        assertThat(feedback.bye()).isTrue();
        assertThat(feedback.report()).isEqualTo(new Rtcp.ReportBlock(0x40, -2, 450));
        assertThat(Rtcp.read(in, SSRC, 0x0BADF00DL)).isEqualTo(feedback);
        Rtcp.Feedback another = Rtcp.read(in, SSRC, 0x12345678L);
        assertThat(another.fromViewer()).as("reports and BYE of another SSRC than the viewer's").isFalse();
        assertThat(another.bye()).isFalse();
        in.release();
    }

    @Test
    void aByeCountsOnlyWhenItNamesTheViewer() {
        ByteBuf bye = Unpooled.buffer();
        bye.writeByte(0x80).writeByte(201).writeShort(1).writeInt(0x0BADF00D); // empty RR: no block about our stream
        bye.writeByte(0x81).writeByte(203).writeShort(1).writeInt(0x0BADF00D);
        assertThat(Rtcp.read(bye, SSRC, -1)).as("viewer unknown yet").isEqualTo(new Rtcp.Feedback(-1, false, null));
        assertThat(Rtcp.read(bye, SSRC, 0x0BADF00DL)).isEqualTo(new Rtcp.Feedback(0x0BADF00DL, true, null));
        assertThat(Rtcp.read(bye, SSRC, 0x0BADF00EL).fromViewer()).isFalse();
        bye.release();
    }

    @Test
    void rejectsWhatIsNotRtcp() {
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {1, 2}), SSRC, -1)).isNull();
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {0x40, (byte) 201, 0, 1, 0, 0, 0, 0}), SSRC, -1))
                .as("version 1").isNull();
        assertThat(Rtcp.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 201, 0, 9, 0, 0, 0, 0}), SSRC, -1))
                .as("length past the end").isNull();
    }

    @Test
    void byeEndsACompoundPacketStartingWithAReport() {
        ByteBuf out = Unpooled.buffer();
        Rtcp.writeSenderReport(out, SSRC, 0x0102030405060708L, 90_000, 3, 4_000);
        Rtcp.writeSourceDescription(out, SSRC, Rtcp.cname("mjpeg-rtp"));
        Rtcp.writeBye(out, SSRC);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("80c80006cafebabe" // SR: the sender's final counts
                + "0102030405060708" + "00015f90" + "00000003" + "00000fa0" // NTP, RTP timestamp, packets, octets
                + "81ca0004cafebabe01096d6a7065672d72747000" // SDES: CNAME "mjpeg-rtp", then a null octet
                + "81cb0001cafebabe"); // BYE
        assertThat(Rtcp.read(out, SSRC, SSRC & 0xFFFFFFFFL).bye()).isTrue();
        out.release();
    }

    @Test
    void cnameIsCutToWhatSdesHolds() {
        assertThat(Rtcp.cname("x".repeat(300))).hasSize(255);
        ByteBuf out = Unpooled.buffer();
        Rtcp.writeSourceDescription(out, SSRC, Rtcp.cname("x".repeat(300)));
        assertThat(out.readableBytes()).isEqualTo(Rtcp.sourceDescriptionLength(Rtcp.cname("x".repeat(300))))
                .isEqualTo(8 + 2 + 255 + 3);
        out.release();
    }
}
