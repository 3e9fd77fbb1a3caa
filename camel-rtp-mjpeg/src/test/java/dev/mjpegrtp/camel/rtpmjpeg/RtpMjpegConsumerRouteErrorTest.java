package dev.mjpegrtp.camel.rtpmjpeg;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mjpegrtp.testing.JavaJpegs;
import dev.mjpegrtp.testing.LogCapture;
import dev.mjpegrtp.testing.RtpSenderSocket;
import dev.mjpegrtp.testing.LocalPorts;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route that throws Errors (what an out-of-memory or a runaway recursion in a processor looks like) on some frames:
 * the consumer's thread lives on, each failed frame is counted in JMX and the health check, the log gets one line per
 * kind of failure, no exchange stays in flight, and the next frames reach the end of the route.
 */
class RtpMjpegConsumerRouteErrorTest extends CamelTestSupport {

    private static final int FAILING = 6;
    private static final int PASSING = 4;

    private final int port = LocalPorts.freeRtpPort();
    private final AtomicInteger processed = new AtomicInteger();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.setExposureLevel("full");
        HealthCheckRepository consumers = (HealthCheckRepository) registry.resolveById("consumers");
        consumers.setEnabled(true);
        registry.register(consumers);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("rtp-mjpeg:127.0.0.1:" + port).routeId("receive")
                        .process(exchange -> {
                            int frame = processed.incrementAndGet();
                            if (frame <= FAILING / 2) {
                                throw new OutOfMemoryError("Java heap space (thrown by the test)");
                            }
                            if (frame <= FAILING) {
                                throw new StackOverflowError("thrown by the test");
                            }
                        })
                        .to("mock:frames");
            }
        };
    }

    @Test
    void errorsFromTheRouteAreCountedAndTheNextFramesGoThrough() throws Exception {
        MockEndpoint frames = getMockEndpoint("mock:frames");
        frames.expectedMessageCount(PASSING);
        List<String> log;
        try (LogCapture capture = LogCapture.start();
             RtpSenderSocket camera = new RtpSenderSocket("127.0.0.1", port, 0xE4404)) {
            byte[] jpeg = JavaJpegs.baseline(160, 120);
            for (int i = 1; i <= FAILING + PASSING; i++) {
                camera.sendFrame(jpeg);
                int sent = i;
                // One frame at a time, so that none is dropped for the route falling behind on a busy machine.
                await().atMost(Duration.ofSeconds(5)).until(() -> processed.get() == sent);
                if (i == FAILING) {
                    // Before a frame succeeds: Camel completes failed exchanges left queued only when the next runs.
                    await().atMost(Duration.ofSeconds(5)).until(() -> receiver().getFramesFailed() == FAILING);
                    assertThat(context.getInflightRepository().size()).as("exchanges in flight after the errors")
                            .isZero();
                }
            }
            frames.assertIsSatisfied(10_000);
            log = capture.lines();
        }

        RtpMjpegConsumer consumer = receiver();
        assertThat(consumer.getFramesFailed()).isEqualTo(FAILING);
        assertThat(consumer.getFramesLost()).isZero();
        HealthCheck.Result health = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:receive")).findFirst().orElseThrow();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(health.getDetails()).containsEntry("framesFailed", (long) FAILING);
        assertThat(context.getInflightRepository().size()).as("exchanges in flight").isZero();
        assertThat(log.stream().filter(line -> line.startsWith("A received frame failed")))
                .as("one line per kind of failure").hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("OutOfMemoryError"))
                .anySatisfy(line -> assertThat(line).contains("StackOverflowError"));
    }

    private RtpMjpegConsumer receiver() {
        return (RtpMjpegConsumer) context.getRoute("receive").getConsumer();
    }
}
