package dev.mjpegrtp.camel.rtsp;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtspSessionDescriptionTest {

    @Test
    void describesOneJpegTrackWithRateAndControl() throws Exception {
        String sdp = RtspSessionDescription.of("cam1", InetAddress.getByName("192.0.2.10"), 42,
                new VideoFormat(1280, 720, 29.97));
        assertThat(sdp).isEqualTo("v=0\r\n"
                + "o=- 42 1 IN IP4 192.0.2.10\r\n"
                + "s=cam1\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\n"
                + "a=control:*\r\n"
                + "a=range:npt=now-\r\n"
                + "m=video 0 RTP/AVP 26\r\n"
                + "a=rtpmap:26 JPEG/90000\r\n"
                + "a=framerate:29.97\r\n"
                + "a=control:trackID=0\r\n");
    }

    @Test
    void announcesDimensionsAbove2040OutOfBand() throws Exception {
        String sdp = RtspSessionDescription.of("uhd", InetAddress.getByName("::1"), 1, new VideoFormat(3840, 2160, 30));
        assertThat(sdp).contains("IN IP6 0:0:0:0:0:0:0:1", "c=IN IP6 ::", "a=framerate:30\r\n", "a=x-dimensions:3840,2160\r\n");
        assertThat(RtspSessionDescription.of("hd", InetAddress.getByName("::1"), 1, new VideoFormat(2040, 1080, 30)))
                .doesNotContain("x-dimensions");
    }

    @Test
    void leavesOutWhatNoFrameHasShownYet() throws Exception {
        assertThat(RtspSessionDescription.of("cam", InetAddress.getLoopbackAddress(), 1, null))
                .doesNotContain("framerate").doesNotContain("x-dimensions").contains("a=rtpmap:26 JPEG/90000");
        assertThat(RtspSessionDescription.of("cam", InetAddress.getLoopbackAddress(), 1, new VideoFormat(640, 480, 0)))
                .doesNotContain("framerate");
    }
}
