package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.TestImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every libjpeg quality, 1 to 100, through our sender and receiver: with {@code -baseline} the tables are clamped to 8
 * bits exactly as RFC 2435 Appendix A clamps them, so qualities 1..99 go out as their Q with no tables on the wire
 * and 100 in-band; without it, low qualities get 16-bit tables (luma below 24, chroma below 20), which travel in-band
 * with their precision bits. Each
 * frame the receiver rebuilds decodes to the source's pixels.
 */
class CjpegQualityRangeTest {

    @TempDir
    Path dir;

    static IntStream qualities() {
        return IntStream.rangeClosed(1, 100);
    }

    @ParameterizedTest(name = "cjpeg -quality {0} -baseline")
    @MethodSource("qualities")
    void eightBitTablesGoOutAsTheirQ(int quality) throws Exception {
        JpegFrame frame = roundTrip(quality, "-baseline");
        assertThat(frame.q()).isEqualTo(quality < 100 ? quality : JpegParser.DYNAMIC_TABLES_Q);
        assertThat(frame.precision()).isZero();
    }

    @ParameterizedTest(name = "cjpeg -quality {0}")
    @MethodSource("qualities")
    void tablesBeyondEightBitsTravelInBand(int quality) throws Exception {
        JpegFrame frame = roundTrip(quality);
        // libjpeg (jcparam.c) gives a table 16-bit entries once its largest Annex K entry, scaled, passes 255.
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        int lumaPrecision = (121 * scale + 50) / 100 > 255 ? 1 : 0;
        int chromaPrecision = (99 * scale + 50) / 100 > 255 ? 1 : 0;
        assertThat(frame.precision()).isEqualTo(lumaPrecision | chromaPrecision << 1);
        assertThat(frame.q()).isEqualTo(frame.precision() != 0 || quality == 100 ? JpegParser.DYNAMIC_TABLES_Q : quality);
    }

    /** Sends a cjpeg frame of the given quality through packetizer and depacketizer; returns the parsed source. */
    private JpegFrame roundTrip(int quality, String... options) throws Exception {
        String[] all = new String[options.length + 2];
        all[0] = "-quality";
        all[1] = Integer.toString(quality);
        System.arraycopy(options, 0, all, 2, options.length);
        byte[] source = Files.readAllBytes(TestImages.cjpeg(dir, "q" + quality, 48, 32, all));
        JpegFrame parsed = new JpegParser().parse(source);
        Rfc2435Frame frame = new Rfc2435Frame(parsed, 400);
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(1 << 20);
        byte[] rebuilt = null;
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer packet = ByteBuffer.allocate(frame.payloadLength(i));
            frame.writePayload(i, packet);
            rebuilt = depacketizer.push(packet.flip(), 0, packet.limit(), 1, i == frame.packetCount() - 1);
        }
        assertThat(rebuilt).isNotNull();
        assertThat(JavaJpegs.decode(rebuilt)).isEqualTo(JavaJpegs.decode(source));
        return parsed;
    }
}
