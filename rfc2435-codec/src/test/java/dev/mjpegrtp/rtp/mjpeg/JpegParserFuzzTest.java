package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the sender side: any bytes either parse into a frame whose packets all fit the MTU and
 * carry exactly the scan (with and without the ONVIF header extension), or raise the codec's own typed exception;
 * nothing else escapes, nothing reads out of bounds.
 *
 * <p>{@code mvn test} runs the seeds in {@code JpegParserFuzzTestInputs/} (JPEGs from cjpeg, jpegenc, FFmpeg and the
 * JDK) and every crasher kept there. The long mode fuzzes for real:
 * {@code JAZZER_FUZZ=1 mvn -pl rfc2435-codec test -Dtest=JpegParserFuzzTest}.
 */
class JpegParserFuzzTest {

    private static final int MTU = 1400;
    private final JpegParser parser = new JpegParser();
    private final ByteBuffer packet = ByteBuffer.allocate(MTU);

    @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
    void parseAndPacketize(byte[] data) {
        JpegFrame frame;
        try {
            frame = parser.parse(data);
        } catch (Rfc2435Exception expected) {
            return;
        }
        for (boolean onvifExtension : new boolean[] {false, true}) {
            Rfc2435Frame packets = new Rfc2435Frame(frame, MTU, onvifExtension);
            long scanBytes = 0;
            for (int i = 0; i < packets.packetCount(); i++) {
                packet.clear();
                packets.writeHeaderExtension(i, packet);
                packets.writePayload(i, packet);
                assertThat(RtpHeader.LENGTH + packet.position()).isEqualTo(packets.packetLength(i))
                        .isLessThanOrEqualTo(MTU);
                scanBytes += packets.payloadLength(i);
            }
            assertThat(scanBytes).isEqualTo(packets.totalPayloadLength());
        }
    }
}
