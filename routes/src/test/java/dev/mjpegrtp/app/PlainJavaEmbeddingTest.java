package dev.mjpegrtp.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.mjpegrtp.camel.rtpmjpeg.JpegToRfc2435Processor;
import dev.mjpegrtp.rtp.mjpeg.RtpHeader;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's plain-Java embedding, as written there: a CamelContext, one route, frames on the wire. */
class PlainJavaEmbeddingTest {

    @Test
    void tenLinesStreamACamera() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = receiver.getLocalPort();

            // --- as in the README
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.getRegistry().bind("jpegToRfc2435", new JpegToRfc2435Processor());
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("gstreamer:cam?pipeline=RAW(videotestsrc is-live=true ! "
                             + "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! jpegenc)")
                                .process("jpegToRfc2435")
                                .to("rtp-mjpeg:127.0.0.1:" + port);
                    }
                });
                camel.start();
                // ---

                receiver.setSoTimeout(10_000);
                int frames = 0;
                byte[] buffer = new byte[65536];
                RtpHeader header = new RtpHeader();
                while (frames < 10) {
                    DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                    receiver.receive(datagram);
                    if (header.read(ByteBuffer.wrap(buffer, 0, datagram.getLength())).marker()) {
                        frames++;
                    }
                }
                assertThat(header.payloadType()).isEqualTo(RtpHeader.PAYLOAD_TYPE_JPEG);
            }
        }
    }
}
