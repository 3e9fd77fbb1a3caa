package dev.mjpegrtp.app;

import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;

/**
 * Runs the routes with camel-main. application.properties in the jar holds the defaults; an application.properties in
 * the working directory overrides them, and {@code -D} options override both.
 *
 * <p>Without routes of the user's own, the YAML demo ({@value #DEMO_ROUTES}) runs. Naming Java DSL routes with
 * {@code -Dcamel.main.routesBuilderClasses} replaces it, and so does naming YAML routes with
 * {@code -Dcamel.main.routesIncludePattern}; there is no base-package scan, so no route starts unasked. The route
 * template {@value StreamRouteTemplate#NAME} is always there for the user's routes, and with a cluster service
 * configured ({@code camel.cluster.file.*} or {@code mjpegrtp.cluster.zookeeper.*}) the routes spread over the
 * instances, each on one instance at a time ({@link BalancedRoutePolicyFactory}). With
 * {@code camel.management.enabled=true} the health checks ({@code healthCheckEnabled}) and the metrics
 * ({@code metricsEnabled}) are served over HTTP ({@link ManagementServerFactory}); {@value HealthSetup#PORT} serves
 * the health checks alone. With {@value DemoRtsps#ENABLED}{@code =true}, the demo is served over rtsps:// too
 * ({@link DemoRtsps}).
 */
public final class MjpegRtpApplication {

    /** Not under classpath:camel/, which camel-main loads by default whatever else is configured. */
    static final String DEMO_ROUTES = "classpath:mjpeg-rtp/demo.yaml";
    private static final String ROUTES_BUILDER_CLASSES = "camel.main.routesBuilderClasses";
    /** An application.properties in the working directory, then the jar's: the first location that has a property wins. */
    static final String PROPERTIES_LOCATIONS = "file:application.properties;optional=true,classpath:application.properties;optional=true";

    /** Adds the ZooKeeper cluster service when {@code mjpegrtp.cluster.zookeeper.enabled=true}. */
    private static final MainListener ZOOKEEPER_CLUSTER = new ZooKeeperClusterConfigurer();

    private MjpegRtpApplication() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    static Main newMain() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES_LOCATIONS);
        main.configure().addRoutesBuilder(new StreamRouteTemplate());
        main.bind("balancedRoutePolicyFactory", new BalancedRoutePolicyFactory());
        main.bind("managementServerFactory", new ManagementServerFactory());
        main.addMainListener(ZOOKEEPER_CLUSTER);
        if (System.getProperty(ROUTES_BUILDER_CLASSES) == null && System.getenv("CAMEL_MAIN_ROUTESBUILDERCLASSES") == null) {
            // An initial property: any routesIncludePattern the user sets wins over it.
            main.addInitialProperty("camel.main.routesIncludePattern", DEMO_ROUTES);
        }
        main.addMainListener(new ClusteredStartup());
        main.addMainListener(new HealthSetup());
        main.addMainListener(new DemoRtsps());
        return main;
    }
}
