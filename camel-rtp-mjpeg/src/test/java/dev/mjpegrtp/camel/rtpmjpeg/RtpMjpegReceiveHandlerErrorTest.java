package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.RtpSenderSocket;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Error while a packet is handled (here from handing a finished frame on, as an out-of-memory there would be) costs
 * that packet: counted as rejected, logged once, and the channel goes on to the next frame.
 */
class RtpMjpegReceiveHandlerErrorTest {

    @Test
    void anErrorHandlingAPacketIsCountedAndTheNextFrameGoesThrough() throws Exception {
        RtpMjpegConfiguration configuration = new RtpMjpegConfiguration();
        List<ReceivedFrame> frames = new ArrayList<>();
        RtpMjpegReceiveHandler handler = new RtpMjpegReceiveHandler(configuration, frame -> {
            if (frames.add(frame) && frames.size() == 1) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
        }, new RateLimitedLog(LoggerFactory.getLogger(RtpMjpegReceiveHandler.class)));
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        InetSocketAddress camera = new InetSocketAddress("127.0.0.1", 5004);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 6000);
        List<String> log;
        try (LogCapture capture = LogCapture.start();
             RtpSenderSocket packets = new RtpSenderSocket("127.0.0.1", 6000, 0x77)) {
            byte[] jpeg = JavaJpegs.baseline(160, 120);
            for (int frame = 0; frame < 3; frame++) {
                for (byte[] packet : packets.packets(jpeg, 100 + 10 * frame, 3000 * frame)) {
                    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(packet), local, camera));
                }
            }
            log = capture.lines();
        }

        assertThat(channel.isActive()).isTrue();
        assertThat(frames).hasSize(3);
        assertThat(handler.packetsRejected()).isEqualTo(1);
        assertThat(log).filteredOn(line -> line.startsWith("A received packet failed")).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("OutOfMemoryError"));
        channel.finishAndReleaseAll();
    }
}
