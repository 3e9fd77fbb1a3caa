package dev.mjpegrtp.camel.rtsp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.FrameFeed;
import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.RtspTestClient;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESCRIBE of a path that has had no frame yet: answered the moment frames show size and rate, or after 2 s without
 * them; on one connection only one DESCRIBE waits, the others are answered at once.
 */
class RtspMjpegDescribeWaitTest extends CamelTestSupport {

    private static final long WAIT_MILLIS = 2000;

    @RegisterExtension
    AvailablePortFinder.Port rtspPort = AvailablePortFinder.find();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:frames").to("rtsp-mjpeg:127.0.0.1:" + rtspPort.getPort() + "/cam");
            }
        };
    }

    @Test
    void describeWithoutFramesAnswersAfterTheWait() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            long start = System.nanoTime();
            RtspTestClient.Response describe = client.request("DESCRIBE", client.url()).expect(200);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isBetween(WAIT_MILLIS - 100, WAIT_MILLIS + 1500);
            assertThat(describe.body()).contains("m=video 0 RTP/AVP 26").doesNotContain("a=framerate");
        }
    }

    @Test
    void describeAnswersWhenTheFirstFramesCome() throws Exception {
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            client.send("DESCRIBE " + client.url() + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
            Thread.sleep(300);
            long feedStart = System.nanoTime();
            try (FrameFeed feed = FrameFeed.start(template, "direct:frames", List.of(JavaJpegs.baseline(320, 240)), 30)) {
                RtspTestClient.Response describe = client.readResponse().expect(200);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - feedStart);
                assertThat(describe.body()).contains("a=framerate:30");
                assertThat(waited).as("answered after the first frames, not at the deadline").isLessThan(1000);
            }
        }
    }

    @Test
    void onlyOneDescribePerConnectionWaits() throws Exception {
        int requests = 15;
        try (RtspTestClient client = new RtspTestClient("127.0.0.1", rtspPort.getPort(), "cam")) {
            StringBuilder pipelined = new StringBuilder();
            for (int i = 1; i <= requests; i++) {
                pipelined.append("DESCRIBE ").append(client.url()).append(" RTSP/1.0\r\nCSeq: ").append(i)
                        .append("\r\n\r\n");
            }
            long start = System.nanoTime();
            client.send(pipelined.toString());
            for (int i = 2; i <= requests; i++) {
                assertThat(client.readResponse().expect(200).header("cseq")).isEqualTo(String.valueOf(i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the others, answered at once")
                    .isLessThan(Duration.ofMillis(WAIT_MILLIS - 500));
            assertThat(client.readResponse().expect(200).header("cseq")).as("the one that waited").isEqualTo("1");
        }
    }
}
