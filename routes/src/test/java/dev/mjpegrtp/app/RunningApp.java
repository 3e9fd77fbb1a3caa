package dev.mjpegrtp.app;

import java.util.Map;

import dev.mjpegrtp.testing.LocalPorts;
import dev.mjpegrtp.testing.NettyLeakDetection;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The application as {@code java -jar} runs it: the packaged application.properties, overridden by the given
 * properties as {@code -D} options would be, and Netty's leak detector at its default level, not the build's paranoid
 * one, which makes each packet several times as costly: the tests of the running app measure its frame rates, and
 * none of them counts leaks.
 */
final class RunningApp implements AutoCloseable {

    private final Main main = MjpegRtpApplication.newMain();

    RunningApp(Map<String, String> overrides) throws Exception {
        NettyLeakDetection.asInProduction();
        // The demo's HTTP port, free unless a test names one, so that apps of several tests never meet on 8088.
        if (!overrides.containsKey("demo.httpPort")) {
            main.addOverrideProperty("demo.httpPort", String.valueOf(LocalPorts.freeTcpPort()));
        }
        overrides.forEach(main::addOverrideProperty);
        main.start();
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
