package dev.mjpegrtp.rtp.mjpeg;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDP file rtp-mjpeg writes for players, line for line (the RTSP answer is RtspSessionDescriptionTest's). */
class SessionDescriptionTest {

    @Test
    void describesAUnicastStream() throws Exception {
        assertThat(SessionDescription.forStream(InetAddress.getByName("127.0.0.1"), 5004, 26, 4_000_000_000L, 1))
                .isEqualTo("v=0\r\n"
                        + "o=- 4000000000 1 IN IP4 127.0.0.1\r\n"
                        + "s=mjpeg-rtp\r\n"
                        + "c=IN IP4 127.0.0.1\r\n"
                        + "t=0 0\r\n"
                        + "m=video 5004 RTP/AVP 26\r\n"
                        + "a=rtpmap:26 JPEG/90000\r\n"
                        + "a=recvonly\r\n");
    }

    @Test
    void namesTheTimeToLiveOfAnIpv4MulticastGroupOnly() throws Exception {
        assertThat(SessionDescription.forStream(InetAddress.getByName("239.1.2.3"), 5004, 96, 7, 4))
                .contains("o=- 7 1 IN IP4 239.1.2.3\r\n", "c=IN IP4 239.1.2.3/4\r\n", "m=video 5004 RTP/AVP 96\r\n",
                        "a=rtpmap:96 JPEG/90000\r\n");
        assertThat(SessionDescription.forStream(InetAddress.getByName("ff15::1"), 5004, 26, 7, 4))
                .contains("o=- 7 1 IN IP6 ff15:0:0:0:0:0:0:1\r\n", "c=IN IP6 ff15:0:0:0:0:0:0:1\r\n");
    }

    @Test
    void announcesOnlyASizeTheHeaderCannotHold() throws Exception {
        InetAddress address = InetAddress.getByName("::1");
        assertThat(SessionDescription.forStream(address, 5004, 26, 1, 1, 3840, 2160))
                .endsWith("a=rtpmap:26 JPEG/90000\r\na=x-dimensions:3840,2160\r\na=recvonly\r\n");
        assertThat(SessionDescription.forStream(address, 5004, 26, 1, 1, 1920, 4096))
                .contains("a=x-dimensions:1920,4096\r\n");
        assertThat(SessionDescription.forStream(address, 5004, 26, 1, 1, 2040, 2040)).doesNotContain("x-dimensions");
    }

    @Test
    void describesAnSrtpStreamWithItsKey() throws Exception {
        String crypto = "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
        assertThat(SessionDescription.forStream(InetAddress.getByName("127.0.0.1"), 5004, 26, 9, 1, 0, 0, crypto))
                .endsWith("t=0 0\r\n"
                        + "m=video 5004 RTP/SAVP 26\r\n"
                        + "a=rtpmap:26 JPEG/90000\r\n"
                        + "a=" + crypto + "\r\n"
                        + "a=recvonly\r\n");
    }
}
