package dev.mjpegrtp.camel.server;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.testing.LogCapture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed authentications per address against a clock the test moves: when an address is throttled, for how long. */
class AuthenticationThrottleTest {

    private static final long WINDOW_MILLIS = 60_000;

    private final AtomicLong now = new AtomicLong();
    private final AuthenticationThrottle throttle = new AuthenticationThrottle(3, WINDOW_MILLIS, now::get);

    private static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void anAddressIsThrottledAfterItsFailuresUntilTheWindowEnds() throws Exception {
        InetAddress guesser = address("192.0.2.1");
        InetAddress other = address("192.0.2.2");
        throttle.failed(guesser, "DESCRIBE of /door: wrong credentials");
        throttle.failed(guesser, "DESCRIBE of /door: wrong credentials");
        assertThat(throttle.retryAfterMillis(guesser)).isZero();
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        throttle.failed(guesser, "DESCRIBE of /door: wrong credentials");
        assertThat(throttle.retryAfterMillis(guesser)).isEqualTo(40_000);
        assertThat(throttle.retryAfterMillis(other)).as("another address").isZero();
        now.addAndGet(TimeUnit.SECONDS.toNanos(40));
        assertThat(throttle.retryAfterMillis(guesser)).as("the window is over").isZero();
        assertThat(throttle.failures()).isEqualTo(3);
        assertThat(throttle.throttled()).isEqualTo(1);
    }

    @Test
    void ipv6ClientsCountPerSlash64() throws Exception {
        for (int i = 1; i <= 3; i++) {
            throttle.failed(address("2001:db8:1:2::" + i), "SETUP of /door: wrong credentials");
        }
        assertThat(throttle.retryAfterMillis(address("2001:db8:1:2:ffff::9"))).isPositive();
        assertThat(throttle.retryAfterMillis(address("2001:db8:1:3::1"))).isZero();
    }

    @Test
    void manyAddressesCannotGrowTheTableBeyondItsBound() throws Exception {
        for (int i = 0; i < AuthenticationThrottle.MAX_TRACKED_ADDRESSES + 1000; i++) {
            throttle.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), "x");
        }
        assertThat(throttle.trackedAddresses()).isEqualTo(AuthenticationThrottle.MAX_TRACKED_ADDRESSES);
    }

    @Test
    void aFloodOfFailuresIsLoggedInAFewLines() throws Exception {
        InetAddress guesser = address("192.0.2.1");
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 1000; i++) {
                throttle.failed(guesser, "DESCRIBE of /door: wrong credentials");
                throttle.retryAfterMillis(guesser);
            }
            throttle.summarize();
            assertThat(logs.lines()).as("before the first minute is over").hasSize(2);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
            throttle.summarize();
            throttle.summarize();
            assertThat(logs.lines()).hasSize(3);
            assertThat(logs.lines().get(0)).isEqualTo("Refused DESCRIBE of /door: wrong credentials to 192.0.2.1; "
                    + "further failures from this address are summed up once a minute");
            assertThat(logs.lines().get(1)).startsWith("Throttling 192.0.2.1: 3 failed authentications within 60 s");
            assertThat(logs.lines().get(2)).startsWith("1000 failed authentications and 998 requests refused while "
                    + "throttled in the last minute");
        }
    }
}
