package dev.mjpegrtp.app;

import java.net.InetSocketAddress;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Once camel-main has configured the context: registers Camel's {@code route-controller} health check, the one that
 * names every route the supervising route controller is retrying and its error (a route whose producer failed to
 * start is in no other check, since the context lists a route only once its consumer was started), and, when
 * {@value #PORT} is set, serves the health checks over HTTP ({@link HealthEndpoint}) on {@value #HOST}: the same as
 * {@code camel.management.enabled=true}, {@code camel.management.healthCheckEnabled=true} and its port and host
 * ({@link ManagementServerFactory}), on a server of its own.
 */
final class HealthSetup extends MainListenerSupport {

    static final String PORT = "mjpegrtp.health.port";
    static final String HOST = "mjpegrtp.health.host";
    private static final String ROUTE_CONTROLLER_CHECK = "route-controller";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext camelContext = main.getCamelContext();
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry == null || !registry.isEnabled()) {
            return;
        }
        if (registry.getCheck(ROUTE_CONTROLLER_CHECK).isEmpty()) {
            registry.register((HealthCheck) registry.resolveById(ROUTE_CONTROLLER_CHECK));
        }
        int port = camelContext.getPropertiesComponent().resolveProperty(PORT).map(Integer::parseInt).orElse(0);
        if (port > 0) {
            String host = camelContext.getPropertiesComponent().resolveProperty(HOST).orElse("127.0.0.1");
            try {
                camelContext.addService(new ObserveHttpServer(camelContext, new InetSocketAddress(host, port))
                        .serve(HealthEndpoint.PATH, new HealthEndpoint(camelContext, HealthEndpoint.PATH)), true, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot serve the health checks on " + host + ":" + port, e);
            }
        }
    }
}
