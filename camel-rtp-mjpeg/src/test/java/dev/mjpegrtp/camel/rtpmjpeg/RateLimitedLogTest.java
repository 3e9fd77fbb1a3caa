package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mjpegrtp.testing.LogCapture;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** A flood of failures logs one line per kind (root cause) per period, and the next line says how many were not. */
class RateLimitedLogTest {

    @Test
    void oneLinePerKindPerPeriodWithTheCountOfThoseLeftOut() throws Exception {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("dev.mjpegrtp.test.RateLimitedLog"),
                TimeUnit.MILLISECONDS.toNanos(300));
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            for (int i = 0; i < 1000; i++) {
                log.failure("frame failed", new CamelExecutionException("wrapped", null, new OutOfMemoryError("heap")));
                log.failure("frame failed", new IllegalStateException("bad frame " + i));
            }
            Thread.sleep(400);
            log.failure("frame failed", new IllegalStateException("after the period"));
            lines = capture.lines().stream().filter(line -> line.startsWith("frame failed")).toList();
        }

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("frame failed\n").contains("OutOfMemoryError: heap");
        assertThat(lines.get(1)).isEqualTo("frame failed: java.lang.IllegalStateException: bad frame 0");
        assertThat(lines.get(2)).isEqualTo("frame failed (999 more of this kind not logged since the last such line): "
                + "java.lang.IllegalStateException: after the period");
    }
}
