package dev.mjpegrtp.app;

import org.apache.camel.main.Main;

/** Runs the routes with camel-main; application.properties holds the defaults, -D options override them. */
public final class MjpegRtpApplication {

    private MjpegRtpApplication() {
    }

    public static void main(String[] args) throws Exception {
        // No base-package scan: the YAML routes run by default, the Java DSL ones only when named in
        // camel.main.routesBuilderClasses, so that the same route never starts twice.
        Main main = new Main();
        main.run(args);
    }
}
