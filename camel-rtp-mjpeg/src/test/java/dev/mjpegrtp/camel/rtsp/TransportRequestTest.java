package dev.mjpegrtp.camel.rtsp;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Transport headers as FFmpeg, GStreamer, VLC and cameras' clients write them. */
class TransportRequestTest {

    static Stream<Arguments> servable() {
        return Stream.of(
                arguments("RTP/AVP;unicast;client_port=5000-5001", new TransportRequest(false, 5000, 5001, 0, 0)),
                arguments("RTP/AVP/UDP;unicast;client_port=6970-6971;mode=play", new TransportRequest(false, 6970, 6971, 0, 0)),
                arguments("rtp/avp;client_port=7000", new TransportRequest(false, 7000, 7001, 0, 0)),
                arguments("RTP/AVP/TCP;unicast;interleaved=0-1", new TransportRequest(true, 0, 0, 0, 1)),
                arguments("RTP/AVP/TCP;unicast;interleaved=4-5;mode=\"PLAY\"", new TransportRequest(true, 0, 0, 4, 5)),
                arguments("RTP/AVP/TCP;unicast", new TransportRequest(true, 0, 0, -1, -1)),
                // GStreamer offers several; the first one we serve wins
                arguments("RTP/AVP;multicast;port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1",
                        new TransportRequest(true, 0, 0, 0, 1)),
                arguments("RTP/AVP;unicast;client_port=5000-5001;destination=203.0.113.5",
                        new TransportRequest(false, 5000, 5001, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servable")
    void choosesTheFirstServableTransport(String header, TransportRequest expected) {
        assertThat(TransportRequest.choose(header, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RTP/AVP;multicast", "RTP/AVP;unicast", "RTP/AVP;unicast;client_port=0-1",
        "RTP/AVP;unicast;client_port=70000", "RTP/AVP;unicast;client_port=a-b", "RTP/AVP/TCP;interleaved=0-256",
        "RTP/AVP/TCP;interleaved=0-1;mode=record", "RTP/SAVP;unicast;client_port=5000-5001", "MP2T/H2221/UDP", ""})
    void refusesWhatItCannotServe(String header) {
        assertThat(TransportRequest.choose(header, false)).isNull();
    }

    @Test
    void overTlsChoosesTheFirstInterleavedTransportOrNone() {
        assertThat(TransportRequest.choose("RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1",
                true)).isEqualTo(new TransportRequest(true, 0, 0, 0, 1));
        assertThat(TransportRequest.choose("RTP/AVP;unicast;client_port=5000-5001", true)).isNull();
    }

    @Test
    void repliesWithServerPortsOrChannelsAndTheSsrc() {
        assertThat(new TransportRequest(false, 5000, 5001, 0, 0).reply(40000, 40001, 0, 0, 0x1234ABCD))
                .isEqualTo("RTP/AVP;unicast;client_port=5000-5001;server_port=40000-40001;ssrc=1234ABCD");
        assertThat(new TransportRequest(true, 0, 0, -1, -1).reply(40000, 40001, 2, 3, -1))
                .isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=FFFFFFFF");
    }
}
