package dev.mjpegrtp.camel.rtsp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.rtsp.RtspMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection's inbound pipeline (decoder and aggregator) on an embedded channel: requests and interleaved packets
 * in any order and split anywhere, malformed and oversized input, and when a message counts as partial.
 */
class InterleavedRtspDecoderTest {

    private final InterleavedRtspDecoder decoder = new InterleavedRtspDecoder(
            RtspServerSettings.MAX_INITIAL_LINE_LENGTH, RtspServerSettings.MAX_HEADER_SIZE,
            RtspServerSettings.MAX_CONTENT_LENGTH, RtspServerSettings.MAX_INTERLEAVED_LENGTH);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder,
            new RtspRequestAggregator(RtspServerSettings.MAX_CONTENT_LENGTH));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void requestsAndInterleavedPacketsInOneReadComeOutInOrder() {
        ByteBuf input = Unpooled.buffer();
        input.writeCharSequence("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n", StandardCharsets.US_ASCII);
        input.writeBytes(new byte[] {'$', 1, 0, 3, 7, 8, 9});
        input.writeCharSequence("GET_PARAMETER rtsp://h/p RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 4\r\n\r\nabcd",
                StandardCharsets.US_ASCII);
        input.writeBytes(new byte[] {'$', 0, 0, 0});
        channel.writeInbound(input);

        FullHttpRequest options = channel.readInbound();
        assertThat(options.method()).isEqualTo(RtspMethods.OPTIONS);
        options.release();
        InterleavedFrame rtcp = channel.readInbound();
        assertThat(rtcp.channel()).isEqualTo(1);
        assertThat(ByteBufUtilBytes.of(rtcp.content())).containsExactly(7, 8, 9);
        rtcp.release();
        FullHttpRequest parameter = channel.readInbound();
        assertThat(parameter.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abcd");
        parameter.release();
        InterleavedFrame empty = channel.readInbound();
        assertThat(empty.content().readableBytes()).isZero();
        empty.release();
        assertThat(decoder.partialSinceNanos()).isZero();
    }

    @Test
    void messagesSplitByteByByteAreJoined() {
        byte[] input = ("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n$\u0001\u0000\u0002ab").getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < input.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, i, 1));
            if (i == 5) {
                assertThat(decoder.partialSinceNanos()).as("partial while the request line arrives").isNotZero();
            }
        }
        FullHttpRequest options = channel.readInbound();
        options.release();
        InterleavedFrame frame = channel.readInbound();
        assertThat(frame.content().readableBytes()).isEqualTo(2);
        frame.release();
        assertThat(decoder.partialSinceNanos()).isZero();
    }

    @Test
    void aLineThatIsNoRequestLineIsAFailedRequest() {
        channel.writeInbound(Unpooled.copiedBuffer("HELLO\r\n\r\nOPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n",
                StandardCharsets.US_ASCII));
        FullHttpRequest failed = channel.readInbound();
        assertThat(failed.decoderResult().isFailure()).isTrue();
        failed.release();
        assertThat((Object) channel.readInbound()).as("nothing after a rejected request").isNull();
    }

    @Test
    void aTooLongRequestLineIsAFailedRequest() {
        channel.writeInbound(Unpooled.copiedBuffer("DESCRIBE rtsp://h/" + "a".repeat(5000) + " RTSP/1.0\r\n",
                StandardCharsets.US_ASCII));
        FullHttpRequest failed = channel.readInbound();
        assertThat(failed.decoderResult().cause()).isInstanceOf(TooLongFrameException.class);
        failed.release();
    }

    @Test
    void anInterleavedPacketLongerThanTheLimitIsAFailedRequestAsSoonAsItsPrefixArrives() {
        int tooLong = RtspServerSettings.MAX_INTERLEAVED_LENGTH + 1;
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'$', 1, (byte) (tooLong >> 8), (byte) tooLong}));
        FullHttpRequest failed = channel.readInbound();
        assertThat(failed.decoderResult().cause()).isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining(tooLong + " bytes");
        failed.release();
        channel.writeInbound(Unpooled.copiedBuffer("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).as("nothing after a rejected packet").isNull();
    }

    /** HTTP's interim answer would go out as HTTP/1.1 and without the CSeq (found by InterleavedRtspDecoderFuzzTest). */
    @Test
    void anExpectHeaderGetsNoInterimResponse() {
        channel.writeInbound(Unpooled.copiedBuffer("GET_PARAMETER * RTSP/1.0\r\nCSeq: 2\r\nExpect: 100-continue\r\n"
                + "Content-Length: 4\r\n\r\nabcd", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readOutbound()).isNull();
        FullHttpRequest request = channel.readInbound();
        assertThat(request.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abcd");
        request.release();
    }

    /** The readable bytes of a buffer, without moving its reader index. */
    private static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buffer) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            return bytes;
        }
    }
}
