package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the receiver side with hostile packet streams: the input is a sequence of packets, each
 * a 16-bit length and that many bytes. Only {@link MalformedRtpJpegPacketException} may escape, memory stays within
 * the frame limit, and whatever completes is a JPEG the parser accepts as a frame of at most that size.
 *
 * <p>{@code mvn test} runs the seeds in {@code Rfc2435DepacketizerFuzzTestInputs/} (packet streams of real frames, one
 * with the ONVIF JPEG header extension);
 * the long mode: {@code JAZZER_FUZZ=1 mvn -pl rfc2435-codec test -Dtest=Rfc2435DepacketizerFuzzTest}.
 */
class Rfc2435DepacketizerFuzzTest {

    private static final int MAX_FRAME_SIZE = 1 << 16;

    // About 1 400 inputs a second once the corpus has grown: 10 million take about two hours
    @FuzzTest(maxDuration = "3h", maxExecutions = 10_000_000)
    void depacketize(byte[] data) {
        Rfc2435Depacketizer depacketizer = new Rfc2435Depacketizer(MAX_FRAME_SIZE);
        RtpHeader header = new RtpHeader();
        ByteBuffer input = ByteBuffer.wrap(data);
        while (input.remaining() >= 2) {
            int length = Math.min(input.getShort() & 0xFFFF, input.remaining());
            ByteBuffer packet = input.slice(input.position(), length);
            input.position(input.position() + length);
            try {
                header.read(packet);
                byte[] jpeg = depacketizer.push(packet, header);
                if (jpeg != null) {
                    assertThat(jpeg.length).isLessThanOrEqualTo(MAX_FRAME_SIZE + 1024);
                    assertThat(jpeg[0] & 0xFF).isEqualTo(0xFF);
                    assertThat(jpeg[1] & 0xFF).isEqualTo(0xD8);
                }
            } catch (MalformedRtpJpegPacketException expected) {
                // counted by the consumer, never fatal
            }
        }
    }
}
