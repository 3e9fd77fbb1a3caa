package dev.mjpegrtp.camel.gstreamer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * realtimePriority: the route runs on a thread in SCHED_FIFO at that priority, as the kernel reports it in
 * /proc/thread-self/stat, where the process may (as chrt -f finds it); where it may not, in the ordinary scheduler with
 * the frames still flowing. Without the option, the ordinary scheduler.
 */
class GstreamerRealtimePriorityTest extends CamelTestSupport {

    private static final String PIPELINE = "RAW(videotestsrc is-live=true ! "
            + "video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc)";
    private static final String POLICY = "policy";
    private static final String PRIORITY = "priority";
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("gstreamer:fifo?realtimePriority=3&pipeline=" + PIPELINE).process(this::scheduling)
                        .to("mock:fifo");
                from("gstreamer:ordinary?pipeline=" + PIPELINE).process(this::scheduling).to("mock:ordinary");
            }

            /** The scheduling policy and real-time priority of the thread running the route: fields 41 and 40. */
            private void scheduling(Exchange exchange) throws IOException {
                String stat = Files.readString(Path.of("/proc/thread-self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                exchange.getIn().setHeader(PRIORITY, Integer.parseInt(fields[40 - 3]));
                exchange.getIn().setHeader(POLICY, Integer.parseInt(fields[41 - 3]));
            }
        };
    }

    @Test
    void theRouteRunsInTheRealtimeSchedulerWhereTheProcessMay() throws Exception {
        MockEndpoint fifo = getMockEndpoint("mock:fifo");
        MockEndpoint ordinary = getMockEndpoint("mock:ordinary");
        fifo.expectedMinimumMessageCount(10);
        ordinary.expectedMinimumMessageCount(10);
        MockEndpoint.assertIsSatisfied(context, 20, TimeUnit.SECONDS);

        Exchange realtime = fifo.getReceivedExchanges().get(9);
        if (processMayUseFifo()) {
            assertThat(realtime.getIn().getHeader(POLICY)).isEqualTo(SCHED_FIFO);
            assertThat(realtime.getIn().getHeader(PRIORITY)).isEqualTo(3);
        } else {
            assertThat(realtime.getIn().getHeader(POLICY)).isEqualTo(SCHED_OTHER);
        }
        assertThat(ordinary.getReceivedExchanges().get(9).getIn().getHeader(POLICY)).isEqualTo(SCHED_OTHER);
        assertThat(ordinary.getReceivedExchanges().get(9).getIn().getHeader(PRIORITY)).isEqualTo(0);
    }

    @Test
    void aPriorityOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> context.getEndpoint("gstreamer:bad?realtimePriority=100&pipeline=" + PIPELINE))
                .hasStackTraceContaining("realtimePriority must be 0 (the ordinary scheduler) or 1-99, not 100");
    }

    private static boolean processMayUseFifo() throws IOException, InterruptedException {
        Process chrt = new ProcessBuilder("chrt", "-f", "3", "true").redirectErrorStream(true).start();
        chrt.getInputStream().readAllBytes();
        return chrt.waitFor() == 0;
    }
}
