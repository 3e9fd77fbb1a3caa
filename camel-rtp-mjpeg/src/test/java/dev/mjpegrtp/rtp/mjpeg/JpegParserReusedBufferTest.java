package dev.mjpegrtp.rtp.mjpeg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.mjpegrtp.jpeg.JpegTranscoder;
import dev.mjpegrtp.testing.JavaJpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frame in a reused buffer is followed by whatever an earlier, larger frame left there. Parsing the first
 * {@code length} bytes must give exactly what parsing a copy of those bytes gives, and must never read past them: the
 * leftover is the tail of another JPEG, with its own restart markers and EOI, so a parser that looked beyond the
 * length would find a scan end and succeed where the copy fails.
 */
class JpegParserReusedBufferTest {

    private static final int MTU = 1400;

    private final JpegParser parser = new JpegParser();
    private final JpegTranscoder transcoder = new JpegTranscoder();

    static Stream<Arguments> frames() {
        return Stream.of(
                Arguments.of("baseline", JavaJpegs.baseline(320, 240)),
                Arguments.of("restart markers", JavaJpegs.withRestartMarkers(320, 240, 4)),
                Arguments.of("optimized Huffman (transcoded)", JavaJpegs.optimizedHuffman(320, 240)),
                Arguments.of("progressive (transcoded)", JavaJpegs.progressive(320, 240)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void aFrameAtTheStartOfALongerBufferGivesTheSamePackets(String what, byte[] jpeg) {
        byte[] buffer = inReusedBuffer(jpeg, leftover(jpeg.length * 2));

        assertThat(packets(parser.parse(buffer, jpeg.length, transcoder)))
                .containsExactlyElementsOf(packets(parser.parse(jpeg, transcoder)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void aTruncatedFrameFailsAsItsCopyDoesWhateverFollowsIt(String what, byte[] jpeg) {
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
        byte[] buffer = inReusedBuffer(truncated, leftover(jpeg.length * 2));

        Throwable copyFailure = catchFailure(() -> parser.parse(truncated, transcoder));
        assertThat(copyFailure).isInstanceOf(InvalidJpegException.class);
        assertThatThrownBy(() -> parser.parse(buffer, truncated.length, transcoder))
                .isInstanceOf(copyFailure.getClass())
                .hasMessage(copyFailure.getMessage());
    }

    @Test
    void aLengthBeyondTheArrayIsRefused() {
        byte[] jpeg = JavaJpegs.baseline(64, 64);
        assertThatThrownBy(() -> parser.parse(jpeg, jpeg.length + 1, transcoder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the " + jpeg.length + " bytes");
    }

    @Test
    void aZeroLengthIsAnEmptyFrame() {
        assertThatThrownBy(() -> parser.parse(JavaJpegs.baseline(64, 64), 0, transcoder))
                .isInstanceOf(InvalidJpegException.class)
                .hasMessageContaining("empty frame");
    }

    /** A larger JPEG with restart markers, whose tail a reused buffer still holds after the frame. */
    private static byte[] leftover(int atLeast) {
        byte[] larger = JavaJpegs.withRestartMarkers(1280, 720, 2);
        assertThat(larger.length).as("leftover JPEG size").isGreaterThanOrEqualTo(atLeast);
        return larger;
    }

    private static byte[] inReusedBuffer(byte[] frame, byte[] earlier) {
        byte[] buffer = earlier.clone();
        System.arraycopy(frame, 0, buffer, 0, frame.length);
        return buffer;
    }

    private static List<ByteBuffer> packets(JpegFrame frame) {
        Rfc2435Frame packets = new Rfc2435Frame(frame, MTU);
        List<ByteBuffer> payloads = new ArrayList<>();
        for (int i = 0; i < packets.packetCount(); i++) {
            ByteBuffer payload = ByteBuffer.allocate(packets.payloadLength(i));
            packets.writePayload(i, payload);
            payloads.add(payload.flip());
        }
        return payloads;
    }

    private static Throwable catchFailure(Runnable parse) {
        try {
            parse.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("parsing the truncated copy succeeded");
    }
}
