package dev.mjpegrtp.camel.rtsp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamPathTest {

    @ParameterizedTest
    @CsvSource({"cam1,cam1", "/cam1/,cam1", "site-a/door.left,site-a/door.left", "a_b~c,a_b~c"})
    void normalizesDeclaredPaths(String declared, String normalized) {
        assertThat(StreamPath.normalize(declared)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "a b", "a//b", "../etc", "a/.hidden", "cam?x=1", "caméra"})
    void rejectsPathsAUrlWouldHaveToEscape(String declared) {
        assertThatThrownBy(() -> StreamPath.normalize(declared)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "rtsp://127.0.0.1:8554/cam1,cam1,false",
        "rtsp://127.0.0.1:8554/cam1/,cam1,false",
        "rtsp://127.0.0.1:8554/cam1/trackID=0,cam1,true",
        "rtsp://user@host/site/door/trackID=0?x=y,site/door,true",
        "/cam1,cam1,false"})
    void findsTheStreamAndTrackARequestNames(String uri, String path, boolean track) {
        assertThat(StreamPath.target(uri)).isEqualTo(new StreamPath.Target(path, track));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "cam1", "rtsp://host:8554", "http://[bad"})
    void namesNoStreamForOtherUris(String uri) {
        assertThat(StreamPath.target(uri)).isNull();
    }
}
