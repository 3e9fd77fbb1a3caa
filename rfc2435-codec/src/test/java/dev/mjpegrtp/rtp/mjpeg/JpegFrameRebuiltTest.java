package dev.mjpegrtp.rtp.mjpeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JPEG a frame rebuilds for itself (what an HTTP server sends for an RFC 2435 body) is, byte for byte, the JPEG
 * an RFC 2435 receiver rebuilds from the frame's packets: the JPEGs of real encoders, as the parser makes them RFC
 * 2435-shaped (4:2:2, restart markers, optimized Huffman tables, 16-bit tables, progressive, greyscale).
 */
class JpegFrameRebuiltTest {

    private static final String CORPUS = "JpegParserFuzzTestInputs/parseAndPacketize/";

    @ParameterizedTest
    @ValueSource(strings = {"gst-jpegenc-420.jpg", "cjpeg-420-q75.jpg", "cjpeg-422-restart.jpg", "ffmpeg-422.jpg",
        "cjpeg-optimized.jpg", "cjpeg-16bit-tables.jpg", "cjpeg-progressive.jpg", "cjpeg-gray.jpg",
        "cjpeg-q100.jpg"})
    void equalsWhatAReceiverRebuildsFromThePackets(String name) throws IOException {
        JpegFrame jpeg = new JpegParser().parse(read(name));
        ByteBuffer rebuilt = ByteBuffer.allocate(jpeg.rebuiltLength() + 1);
        rebuilt.put((byte) 0x5A); // the frame is written at the buffer's position, not at its start
        jpeg.writeRebuilt(rebuilt);
        assertThat(rebuilt.position()).as("rebuiltLength matches what writeRebuilt wrote")
                .isEqualTo(1 + jpeg.rebuiltLength());

        Rfc2435Frame frame = new Rfc2435Frame(jpeg, Rfc2435Frame.DEFAULT_MTU);
        Rfc2435Depacketizer receiver = new Rfc2435Depacketizer(Rfc2435Depacketizer.DEFAULT_MAX_FRAME_SIZE);
        byte[] received = null;
        for (int i = 0; i < frame.packetCount(); i++) {
            ByteBuffer payload = ByteBuffer.allocate(frame.payloadLength(i));
            frame.writePayload(i, payload);
            received = receiver.push(payload.flip(), 0, payload.limit(), 90_000, i == frame.packetCount() - 1);
        }
        assertThat(received).as("the receiver's JPEG").isNotNull();
        assertThat(Arrays.copyOfRange(rebuilt.array(), 1, rebuilt.position())).isEqualTo(received);
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = JpegFrameRebuiltTest.class.getResourceAsStream(CORPUS + name)) {
            return in.readAllBytes();
        }
    }
}
