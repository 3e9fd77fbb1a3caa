package dev.mjpegrtp.camel.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import dev.mjpegrtp.rtp.mjpeg.JpegFrame;
import dev.mjpegrtp.rtp.mjpeg.JpegParser;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing an RFC 2435 frame, whose JPEG the stream rebuilds straight into the part's buffer, allocates no more on
 * the heap per frame than publishing a JPEG, which the stream copies into it: measured with the JVM's per-thread
 * allocation counter over many frames, after both paths are compiled.
 */
class HttpMjpegPublishAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;

    @Test
    void rebuildingAFrameAllocatesNoMoreThanCopyingAJpeg() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/dev/mjpegrtp/camel/rtsp/cjpeg-420-q75.jpg")) {
            bytes = in.readAllBytes();
        }
        ByteBuffer jpeg = ByteBuffer.wrap(bytes);
        JpegFrame frame = new JpegParser().parse(bytes);
        HttpMjpegConfiguration configuration = new HttpMjpegConfiguration();
        configuration.setPath("allocation");
        HttpMjpegStream stream = new HttpMjpegStream(configuration);
        try {
            for (int i = 0; i < WARM_UP; i++) {
                stream.publish(jpeg, ByteBufAllocator.DEFAULT);
                stream.publish(frame, ByteBufAllocator.DEFAULT);
            }
            long jpegBytes = allocatedPerFrame(() -> stream.publish(jpeg, ByteBufAllocator.DEFAULT));
            long frameBytes = allocatedPerFrame(() -> stream.publish(frame, ByteBufAllocator.DEFAULT));
            System.out.printf("heap allocated per frame: JPEG body %d bytes, RFC 2435 frame body %d bytes%n",
                    jpegBytes, frameBytes);
            assertThat(frameBytes).as("bytes allocated per RFC 2435 frame published, against %d per JPEG", jpegBytes)
                    .isLessThanOrEqualTo(jpegBytes);
        } finally {
            stream.close();
        }
    }

    private static long allocatedPerFrame(Runnable publish) {
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < MEASURED; i++) {
            publish.run();
        }
        return (THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / MEASURED;
    }
}
