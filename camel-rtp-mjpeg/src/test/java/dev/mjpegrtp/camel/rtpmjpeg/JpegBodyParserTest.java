package dev.mjpegrtp.camel.rtpmjpeg;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.testing.JavaJpegs;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every body form a route hands over gives the frame its bytes give; reused buffers are parsed where they are. */
class JpegBodyParserTest {

    private final CamelContext context = new DefaultCamelContext();
    private final JpegBodyParser parser = new JpegBodyParser(JpegParser.DYNAMIC_TABLES_Q);
    private final byte[] jpeg = JavaJpegs.baseline(320, 240);
    private final JpegFrame expected = new JpegParser().parse(jpeg);

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void aByteArrayIsParsedInPlace() throws Exception {
        JpegFrame frame = parser.parse(exchangeWith(jpeg));
        assertThat(frame.data()).isSameAs(jpeg);
        assertSameFrame(frame);
    }

    @Test
    void aReusedHeapBufferIsParsedInPlaceUpToItsLimit() throws Exception {
        byte[] reused = new byte[jpeg.length * 3];
        byte[] earlier = JavaJpegs.withRestartMarkers(640, 480, 2);
        System.arraycopy(earlier, 0, reused, 0, Math.min(earlier.length, reused.length));
        System.arraycopy(jpeg, 0, reused, 0, jpeg.length);

        JpegFrame frame = parser.parse(exchangeWith(ByteBuffer.wrap(reused, 0, jpeg.length)));

        assertThat(frame.data()).as("no copy of a reused buffer").isSameAs(reused);
        assertSameFrame(frame);
    }

    @Test
    void aBufferNotAtTheStartOfItsArrayIsCopiedFromItsPosition() throws Exception {
        byte[] shifted = new byte[jpeg.length + 17];
        System.arraycopy(jpeg, 0, shifted, 17, jpeg.length);
        ByteBuffer body = ByteBuffer.wrap(shifted, 17, jpeg.length);

        assertSameFrame(parser.parse(exchangeWith(body)));
        assertThat(body.position()).as("the body is left as it was").isEqualTo(17);
    }

    @Test
    void aDirectBufferIsCopied() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(jpeg.length).put(jpeg).flip();
        assertSameFrame(parser.parse(exchangeWith(direct)));
    }

    @Test
    void otherBodiesGoThroughCamelsConversion() throws Exception {
        assertSameFrame(parser.parse(exchangeWith(new ByteArrayInputStream(jpeg))));
    }

    @Test
    void garbageInAReusedBufferFailsNamingTheCause() {
        byte[] reused = new byte[4096];
        new Random(7).nextBytes(reused);
        reused[0] = 0x12; // not the 0xFF of an SOI
        assertThatThrownBy(() -> parser.parse(exchangeWith(ByteBuffer.wrap(reused, 0, 1000))))
                .isInstanceOf(InvalidJpegException.class)
                .hasMessageContaining("no SOI marker");
    }

    @Test
    void aReusedBufferWhoseLimitCutsTheJpegIsTruncatedWhateverFollows() {
        // The whole JPEG is in the array, but the body ends halfway: what lies beyond the limit is not the frame's.
        ByteBuffer body = ByteBuffer.wrap(jpeg, 0, jpeg.length / 2);
        assertThatThrownBy(() -> parser.parse(exchangeWith(body)))
                .isInstanceOf(InvalidJpegException.class)
                .hasMessageContaining("truncated");
    }

    private Exchange exchangeWith(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setBody(body);
        return exchange;
    }

    private void assertSameFrame(JpegFrame frame) {
        assertThat(frame.width()).isEqualTo(expected.width());
        assertThat(frame.height()).isEqualTo(expected.height());
        assertThat(frame.q()).isEqualTo(expected.q());
        assertThat(frame.scanOffset()).isEqualTo(expected.scanOffset());
        assertThat(frame.scanLength()).isEqualTo(expected.scanLength());
        assertThat(ByteBuffer.wrap(frame.data(), frame.scanOffset(), frame.scanLength()))
                .isEqualTo(ByteBuffer.wrap(jpeg, expected.scanOffset(), expected.scanLength()));
    }
}
