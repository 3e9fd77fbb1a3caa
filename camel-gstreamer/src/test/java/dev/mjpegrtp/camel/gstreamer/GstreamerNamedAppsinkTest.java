package dev.mjpegrtp.camel.gstreamer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which descriptions end in an appsink of the user's own, which the consumer then uses instead of adding one. */
class GstreamerNamedAppsinkTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "videotestsrc ! jpegenc | none",
        "videotestsrc ! jpegenc ! appsink name=out | out",
        "videotestsrc ! jpegenc ! appsink max-buffers=1 name=\"my-sink\" drop=true | my-sink",
        "videotestsrc ! appsink name=early ! fakesink | none",
        "videotestsrc ! jpegenc ! appsink | none",
        "videotestsrc name=src ! jpegenc | none"
    })
    void findsTheUsersAppsink(String description, String expected) {
        assertThat(AppsinkPipeline.namedAppsink(description)).isEqualTo(expected);
    }
}
