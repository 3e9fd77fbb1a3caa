package dev.mjpegrtp.jpeg;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.mjpegrtp.rtp.mjpeg.InvalidJpegException;
import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import dev.mjpegrtp.rtp.mjpeg.Transcoding;
import dev.mjpegrtp.rtp.mjpeg.UnsupportedJpegException;
import dev.mjpegrtp.testing.HostileJpegs;
import dev.mjpegrtp.testing.JavaJpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What a JPEG built to make the transcoder allocate costs it: a declared size beyond the cap or beyond what the scan's
 * bytes can hold is refused before the coefficients are allocated, a size within both costs two bytes a sample and no
 * more, and a transcoder kept from frame to frame does not keep the buffers of a large frame.
 */
class JpegTranscoderLimitsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final JpegParser parser = new JpegParser();

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("sequential 5120x5120, 100 KB", (Supplier<byte[]>) () -> HostileJpegs.sequentialGrey(5120, 5120),
                        UnsupportedJpegException.class, "JPEG declares 5120x5120 pixels, beyond the transcoder's limit "
                                + "of 8847360 (4096x2160)"),
                arguments("progressive 7680x4320, 65 KB", (Supplier<byte[]>) () -> HostileJpegs.progressiveGrey(7680, 4320),
                        UnsupportedJpegException.class, "JPEG declares 7680x4320 pixels, beyond the transcoder's limit"),
                arguments("sequential 4096x2160 with a scan of 1 bit a block",
                        (Supplier<byte[]>) () -> withHeight(HostileJpegs.sequentialGrey(4096, 1080), 2160),
                        InvalidJpegException.class, "4096x2160 needs 138240 blocks of at least 2 bit(s) each, more than "
                                + "its 17282 bytes of entropy-coded data can hold"),
                arguments("progressive 4096x2160 with a DC scan of half a bit a block",
                        (Supplier<byte[]>) () -> withHeight(HostileJpegs.progressiveGrey(4096, 1080), 2160),
                        InvalidJpegException.class, "blocks of at least 1 bit(s) each"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aDeclaredSizeBeyondTheCapOrTheScanIsRefusedBeforeItsMemoryIsTaken(String name, Supplier<byte[]> jpeg,
                                                                             Class<? extends Exception> type,
                                                                             String message) {
        byte[] source = jpeg.get();
        JpegTranscoder transcoder = new JpegTranscoder();
        long before = allocatedBytes();

        assertThatThrownBy(() -> parser.parse(source, transcoder)).isInstanceOf(type).hasMessageContaining(message);

        assertThat(allocatedBytes() - before).as("bytes allocated for a %d-byte input", source.length)
                .isLessThan(1_000_000);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                // 8.8 M luma samples plus 4:2:0 chroma coded as neutral blocks: the coefficients and the output.
                arguments("sequential 4096x2160 at the cap", HostileJpegs.sequentialGrey(4096, 2160), 2L * 4096 * 2160),
                arguments("progressive 4096x2160 at the cap", HostileJpegs.progressiveGrey(4096, 2160), 2L * 4096 * 2160),
                // Not decoded: the scan is copied behind 8-bit tables, whatever size it declares.
                arguments("16-bit tables, 8192x8192", HostileJpegs.sixteenBitTablesGrey(8192, 8192), 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void aSizeWithinTheCapAndTheScanCostsItsCoefficientsAndNoMore(String name, byte[] source, long coefficientBytes) {
        JpegTranscoder transcoder = new JpegTranscoder();
        long before = allocatedBytes();

        JpegFrame frame = parser.parse(source, transcoder);

        long allocated = allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated").isLessThan(coefficientBytes + 8L * source.length + 1_000_000);
        assertThat(transcoder.retainedBytes()).as("bytes kept for the next frame")
                .isLessThanOrEqualTo(2L * JpegTranscoder.RETAINED_COEFFICIENTS + JpegTranscoder.RETAINED_OUTPUT_BYTES);
        assertThat(frame.transcodings()).isNotEmpty();
    }

    @Test
    void sixteenBitTablesAreNarrowedWithoutDecodingAndTheScanIsKept() {
        byte[] source = HostileJpegs.sixteenBitTablesGrey(640, 480);
        int scanOffset = JavaJpegs.markerOffset(source, 0xDA) + 2 + 12;

        JpegFrame frame = parser.parse(source, new JpegTranscoder());

        assertThat(frame.transcodings()).containsExactly(Transcoding.TABLE_PRECISION);
        assertThat(frame.precision()).isZero();
        assertThat(frame.width()).isEqualTo(640);
        assertThat(JavaJpegs.decode(frame.data())).as("pixels of a uniform grey").containsOnly(0xFF808080);
        byte[] scan = java.util.Arrays.copyOfRange(frame.data(), frame.scanOffset(), frame.scanOffset() + frame.scanLength());
        assertThat(scan).isEqualTo(java.util.Arrays.copyOfRange(source, scanOffset, source.length - 2));
    }

    @Test
    void aTranscoderKeptFromFrameToFrameKeepsTheBuffersOfSmallFramesOnly() {
        JpegTranscoder transcoder = new JpegTranscoder();
        parser.parse(JavaJpegs.optimizedHuffman(640, 480), transcoder);
        long small = transcoder.retainedBytes();
        assertThat(small).as("kept after a 640x480 frame").isGreaterThan(2L * 640 * 480);

        parser.parse(HostileJpegs.sequentialGrey(4096, 2160), transcoder);
        assertThat(transcoder.retainedBytes()).as("kept after a 4096x2160 frame").isLessThanOrEqualTo(small);
    }

    /** The JPEG with its SOF declaring another height, the scan unchanged. */
    private static byte[] withHeight(byte[] jpeg, int height) {
        byte[] changed = jpeg.clone();
        int sof = JavaJpegs.markerOffset(changed, 0xDB) + 2 + 67; // right after the one DQT segment
        changed[sof + 5] = (byte) (height >> 8);
        changed[sof + 6] = (byte) height;
        return changed;
    }

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
