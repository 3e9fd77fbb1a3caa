package dev.mjpegrtp.camel.rtsp;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mjpegrtp.camel.rtpmjpeg.InterleavedRtpSink;
import dev.mjpegrtp.testing.LeakCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageAggregator;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of an RTSP connection's inbound pipeline (the decoder and the aggregator as the server
 * builds them) with whatever a hostile client may send, split into reads anywhere. Nothing may escape but the typed
 * decode failures the connection answers with 400 or 413 (too long, malformed, a line ended by a bare LF), every
 * buffer is released, what comes out keeps the request limits, interleaved packets are exactly what their prefix
 * declared, and what the pipeline holds of an unfinished message stays bounded however much arrives.
 *
 * <p>The input: a byte that bounds the read sizes (0: one read; 1-127: that many bytes at most; 128-255: that many
 * times 512 bytes less 127; never less than 1/512 of the stream), a byte that seeds the choice of each read's size, then the bytes the client sends, in
 * which {@code 0xFF n b} stands for byte {@code b} n times 512 (so that a short input can cross every limit) and
 * {@code 0xFF 0x00} for a single {@code 0xFF}.
 *
 * <p>{@code mvn test} runs the seeds in {@code InterleavedRtspDecoderFuzzTestInputs/} (the requests of FFmpeg and
 * GStreamer viewers captured on the wire, interleaved RTCP, oversized lines, headers, bodies and packets) and every
 * crasher kept there; the long mode, with Netty's HTTP decoder instrumented for coverage too: {@code JAZZER_FUZZ=1
 * mvn -pl camel-rtp-mjpeg -am test -Dtest=InterleavedRtspDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * '-Djazzer.instrument=dev.mjpegrtp.**,io.netty.handler.codec.**'}.
 */
class InterleavedRtspDecoderFuzzTest {

    /**
     * The most the decoder may hold unfinished: an interleaved packet's prefix and the most data a client's may carry,
     * or a request line and header lines up to their limits.
     */
    private static final int MAX_PARTIAL = Math.max(
            InterleavedRtpSink.PREFIX_LENGTH + RtspServerSettings.MAX_INTERLEAVED_LENGTH,
            RtspServerSettings.MAX_INITIAL_LINE_LENGTH + RtspServerSettings.MAX_HEADER_SIZE);
    private static final int REPEAT_UNIT = 512;
    private static final int MAX_READS = 512;
    private static final Field CUMULATION = field(ByteToMessageDecoder.class, "cumulation");
    private static final Field CURRENT_MESSAGE = field(MessageAggregator.class, "currentMessage");

    static {
        LeakCounter.install();
    }

    @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
    void decode(byte[] data) throws IllegalAccessException {
        long leaksBefore = LeakCounter.leaks();
        byte[] stream = expand(data);
        InterleavedRtspDecoder decoder = new InterleavedRtspDecoder(RtspServerSettings.MAX_INITIAL_LINE_LENGTH,
                RtspServerSettings.MAX_HEADER_SIZE, RtspServerSettings.MAX_CONTENT_LENGTH, RtspServerSettings.MAX_INTERLEAVED_LENGTH);
        RtspRequestAggregator aggregator = new RtspRequestAggregator(RtspServerSettings.MAX_CONTENT_LENGTH);
        Connection connection = new Connection(stream);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, aggregator, connection);
        List<ByteBuf> reads = new ArrayList<>();
        SplittableRandom sizes = new SplittableRandom(data.length > 1 ? data[1] : 0);
        // Byte by byte through 100 KiB would take seconds an input
        int maxRead = Math.max(data.length > 0 ? maxRead(data[0] & 0xFF, stream.length) : stream.length,
                stream.length / MAX_READS);
        int longestRead = 0;
        try {
            for (int at = 0; at < stream.length && channel.isOpen(); ) {
                int length = Math.min(stream.length - at, 1 + sizes.nextInt(maxRead));
                longestRead = Math.max(longestRead, length);
                ByteBuf read = Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, at + length));
                reads.add(read);
                at += length;
                channel.writeInbound(read); // throws what reached the end of the pipeline unhandled
                takeOutput(channel, connection);
                ByteBuf cumulation = (ByteBuf) CUMULATION.get(decoder);
                if (cumulation != null) {
                    assertThat(cumulation.readableBytes()).as("bytes the decoder holds").isLessThanOrEqualTo(MAX_PARTIAL);
                    // It grows to a power of two that holds the bytes read so far and a read, and drops the first
                    // half once read: so it settles at twice what is left and a read, rounded up to a power of two
                    assertThat(cumulation.capacity()).as("the decoder's buffer").isLessThanOrEqualTo(
                            4 * (MAX_PARTIAL + longestRead));
                }
                FullHttpMessage aggregating = (FullHttpMessage) CURRENT_MESSAGE.get(aggregator);
                if (aggregating != null) {
                    assertThat(aggregating.content().readableBytes()).as("body the aggregator holds")
                            .isLessThanOrEqualTo(RtspServerSettings.MAX_CONTENT_LENGTH);
                }
            }
            close(channel);
            takeOutput(channel, connection);
        } finally {
            close(channel);
            channel.releaseInbound();
            channel.releaseOutbound();
        }
        for (ByteBuf read : reads) {
            assertThat(read.refCnt()).as("references left to a read").isZero();
        }
        assertThat(LeakCounter.leaks()).as("buffers leaked (maybe by an earlier input)").isEqualTo(leaksBefore);
    }

    private static void close(EmbeddedChannel channel) {
        try {
            channel.finish();
        } catch (PrematureChannelClosureException closedMidRequest) {
            // How the aggregator reports a connection that closed mid-request; the connection answers it by closing.
        }
    }

    private static void takeOutput(EmbeddedChannel channel, Connection connection) {
        if (connection.failure != null) {
            throw connection.failure;
        }
        for (Object message; (message = channel.readOutbound()) != null; ) {
            try {
                // Only the aggregator answers, with 413, in RTSP; the encoder is not in this pipeline
                assertThat(message).isInstanceOf(FullHttpResponse.class);
                FullHttpResponse response = (FullHttpResponse) message;
                assertThat(response.protocolVersion()).isEqualTo(RtspVersions.RTSP_1_0);
                assertThat(response.status()).isEqualTo(RtspResponseStatuses.REQUEST_ENTITY_TOO_LARGE);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private static void checkRequest(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            assertThat(request.decoderResult().cause()).as("why a request could not be read")
                    .isInstanceOfAny(DecoderException.class, IllegalArgumentException.class,
                            PrematureChannelClosureException.class);
            return;
        }
        assertThat(request.method().name().length() + request.uri().length())
                .as("request line").isLessThanOrEqualTo(RtspServerSettings.MAX_INITIAL_LINE_LENGTH);
        int headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length();
        }
        assertThat(headerBytes).as("header bytes").isLessThanOrEqualTo(RtspServerSettings.MAX_HEADER_SIZE);
        assertThat(request.content().readableBytes()).as("body").isLessThanOrEqualTo(RtspServerSettings.MAX_CONTENT_LENGTH);
    }

    /**
     * Takes what the pipeline makes of the bytes as the connection handler does, at once, and checks it: a handler that
     * kept messages until the read is over would keep the decoder from reusing its buffer.
     */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private final FrameCursor frames;
        private AssertionError failure;

        Connection(byte[] stream) {
            frames = new FrameCursor(stream);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof FullHttpRequest request) {
                    checkRequest(request);
                } else if (msg instanceof InterleavedFrame frame) {
                    frames.check(frame);
                } else {
                    throw new AssertionError("unexpected message " + msg);
                }
            } catch (AssertionError e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Interleaved packets come out in order, each exactly as it was sent: after '$', its channel and its length. */
    private static final class FrameCursor {
        private final byte[] stream;
        private int from;

        FrameCursor(byte[] stream) {
            this.stream = stream;
        }

        void check(InterleavedFrame frame) {
            byte[] content = ByteBufUtil.getBytes(frame.content());
            assertThat(frame.channel()).isBetween(0, 255);
            assertThat(content.length).isLessThanOrEqualTo(0xFFFF);
            byte[] sent = new byte[InterleavedRtpSink.PREFIX_LENGTH + content.length];
            sent[0] = '$';
            sent[1] = (byte) frame.channel();
            sent[2] = (byte) (content.length >> 8);
            sent[3] = (byte) content.length;
            System.arraycopy(content, 0, sent, InterleavedRtpSink.PREFIX_LENGTH, content.length);
            int at = indexOf(stream, sent, from);
            assertThat(at).as("interleaved packet of %d bytes on channel %d as sent, after byte %d", content.length,
                    frame.channel(), from).isNotNegative();
            from = at + sent.length;
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            int prefix = InterleavedRtpSink.PREFIX_LENGTH;
            for (int i = from; i <= haystack.length - needle.length; i++) {
                if (Arrays.equals(haystack, i, i + prefix, needle, 0, prefix)
                        && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static int maxRead(int selector, int streamLength) {
        if (selector == 0) {
            return Math.max(1, streamLength);
        }
        return selector < 128 ? selector : (selector - 127) * REPEAT_UNIT;
    }

    /** The bytes the client sends: the input after its two control bytes, repeats expanded. */
    private static byte[] expand(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        for (int i = 2; i < data.length; i++) {
            int b = data[i] & 0xFF;
            if (b != 0xFF || i + 1 >= data.length) {
                out.write(b);
            } else if (data[i + 1] == 0) {
                out.write(0xFF);
                i++;
            } else if (i + 2 < data.length) {
                byte[] run = new byte[(data[i + 1] & 0xFF) * REPEAT_UNIT];
                Arrays.fill(run, data[i + 2]);
                out.writeBytes(run);
                i += 2;
            } else {
                i++;
            }
        }
        return out.toByteArray();
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(owner + " has no field " + name + " any more: update this test", e);
        }
    }

}
