package dev.mjpegrtp.camel.rtpmjpeg;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which sender a consumer listens to: the first SSRC it hears while that one talks, the next from the same IP address
 * (another port: another producer) once it has been silent for sourceTimeout (a restarted camera, a cluster's new
 * leader), or only the configured SSRC. RtpMjpegConsumerSenderLockTest covers other source addresses.
 */
class RtpMjpegConsumerSsrcTest extends CamelTestSupport {

    private static final long FIRST = 1111;
    private static final long SECOND = 2222;

    private final int followingPort = LocalPorts.freeRtpPort();
    private final int fixedPort = LocalPorts.freeRtpPort();

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:first").to("rtp-mjpeg:127.0.0.1:" + followingPort + "?rtcp=false&ssrc=" + FIRST);
                from("direct:second").to("rtp-mjpeg:127.0.0.1:" + followingPort + "?rtcp=false&ssrc=" + SECOND);
                from("direct:firstToFixed").to("rtp-mjpeg:127.0.0.1:" + fixedPort + "?rtcp=false&ssrc=" + FIRST);
                from("direct:secondToFixed").to("rtp-mjpeg:127.0.0.1:" + fixedPort + "?rtcp=false&ssrc=" + SECOND);
                from("rtp-mjpeg:127.0.0.1:" + followingPort + "?sourceTimeout=300").to("mock:following");
                from("rtp-mjpeg:127.0.0.1:" + fixedPort + "?ssrc=" + SECOND).to("mock:fixed");
            }
        };
    }

    @Test
    void aSecondSenderIsRejectedWhileTheFirstTalksAndFollowedOnceItIsSilent() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(160, 120);
        MockEndpoint following = getMockEndpoint("mock:following");
        following.expectedMessageCount(3);
        template.sendBody("direct:first", jpeg);
        template.sendBody("direct:second", jpeg); // the first spoke a moment ago: rejected
        template.sendBody("direct:first", jpeg);
        Thread.sleep(600);
        // Silence of the first beyond sourceTimeout: the second is followed once two of its packets came in sequence
        // (RFC 3550 A.1); the packet that starts its validation is not kept, so its first frame is incomplete.
        template.sendBody("direct:second", jpeg);
        template.sendBody("direct:second", jpeg);
        following.assertIsSatisfied(5000);

        assertThat(following.getReceivedExchanges()).extracting(e -> e.getIn().getHeader(RtpMjpegConstants.SSRC))
                .containsExactly(FIRST, FIRST, SECOND);
    }

    @Test
    void aConfiguredSsrcIsTheOnlyOneAccepted() throws Exception {
        byte[] jpeg = JavaJpegs.baseline(160, 120);
        MockEndpoint fixed = getMockEndpoint("mock:fixed");
        fixed.expectedMessageCount(1);
        template.sendBody("direct:firstToFixed", jpeg);
        Thread.sleep(1500); // well beyond the default sourceTimeout
        template.sendBody("direct:firstToFixed", jpeg);
        template.sendBody("direct:secondToFixed", jpeg);
        fixed.assertIsSatisfied(5000);
        Thread.sleep(300);
        assertThat(fixed.getReceivedExchanges()).hasSize(1);
        assertThat(fixed.getReceivedExchanges().get(0).getIn().getHeader(RtpMjpegConstants.SSRC)).isEqualTo(SECOND);
    }
}
