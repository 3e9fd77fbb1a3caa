package dev.mjpegrtp.app;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Adds a {@link ZooKeeperClusterService} to the CamelContext when {@code mjpegrtp.cluster.zookeeper.enabled=true},
 * configured from {@code mjpegrtp.cluster.zookeeper.connectString} (required), {@code .basePath} ({@code /mjpeg-rtp}),
 * {@code .id} (host name and process id), {@code .sessionTimeout} and {@code .connectionTimeout} (milliseconds, 3000
 * and 3000), as camel-main adds the file service for {@code camel.cluster.file.*}.
 */
final class ZooKeeperClusterConfigurer extends MainListenerSupport {

    private static final String PREFIX = "mjpegrtp.cluster.zookeeper.";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(properties.resolveProperty(PREFIX + "enabled").orElse("false"))) {
            return;
        }
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setConnectString(properties.resolveProperty(PREFIX + "connectString").orElse(null));
        properties.resolveProperty(PREFIX + "basePath").ifPresent(service::setBasePath);
        properties.resolveProperty(PREFIX + "id").ifPresent(service::setId);
        properties.resolveProperty(PREFIX + "sessionTimeout").map(Integer::parseInt)
                .ifPresent(service::setSessionTimeoutMillis);
        properties.resolveProperty(PREFIX + "connectionTimeout").map(Integer::parseInt)
                .ifPresent(service::setConnectionTimeoutMillis);
        try {
            context.addService(service);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the ZooKeeper cluster service: " + e.getMessage(), e);
        }
    }
}
