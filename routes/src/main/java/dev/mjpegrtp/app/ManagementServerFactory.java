package dev.mjpegrtp.app;

import java.net.InetSocketAddress;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainHttpServerFactory;

/**
 * Camel's management server options ({@code camel.management.enabled}, {@code host}, {@code port},
 * {@code healthCheckEnabled}, {@code healthPath}, {@code metricsEnabled}) served by the app's own
 * {@link ObserveHttpServer}: camel-main asks the registry for a {@link MainHttpServerFactory} before it looks for
 * camel-platform-http-main, which is not available at this Camel version (nor is camel-micrometer-prometheus). What
 * Camel's server has besides (info, dev console, Jolokia, upload, authentication, TLS) is not served: asking for it
 * stops the start, naming the option, rather than serve less than asked.
 */
final class ManagementServerFactory implements MainHttpServerFactory {

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        throw new IllegalArgumentException("camel.server.* needs camel-platform-http-main, which this app does not "
                + "hold; camel.management.* serves the health checks and metrics");
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext,
            HttpManagementServerConfigurationProperties configuration) {
        refuseUnserved(configuration);
        ObserveHttpServer server = new ObserveHttpServer(camelContext,
                new InetSocketAddress(configuration.getHost(), configuration.getPort()));
        if (configuration.isHealthCheckEnabled()) {
            String path = configuration.getHealthPath();
            server.serve(path, new HealthEndpoint(camelContext, path));
        }
        if (configuration.isMetricsEnabled()) {
            server.serve(MetricsEndpoint.PATH, MetricsEndpoint.of(camelContext));
        }
        return server;
    }

    private static void refuseUnserved(HttpManagementServerConfigurationProperties configuration) {
        refuse(configuration.isAuthenticationEnabled(), "authenticationEnabled");
        if (configuration.isUseGlobalSslContextParameters()) {
            // camel-main sets it whenever camel.ssl.* configures a global SSL context, unless it is set to false
            throw new IllegalArgumentException("camel.management.useGlobalSslContextParameters=true (camel-main's "
                    + "default when camel.ssl.* is set): this app's management server serves plain HTTP only; set "
                    + "camel.management.useGlobalSslContextParameters=false to serve it so");
        }
        refuse(configuration.isInfoEnabled(), "infoEnabled");
        refuse(configuration.isDevConsoleEnabled(), "devConsoleEnabled");
        refuse(configuration.isJolokiaEnabled(), "jolokiaEnabled");
        refuse(configuration.isUploadEnabled(), "uploadEnabled");
        refuse(configuration.isDownloadEnabled(), "downloadEnabled");
        refuse(configuration.isSendEnabled(), "sendEnabled");
        refuse(configuration.isOpenapiUiEnabled(), "openapiUiEnabled");
        refuse(configuration.isMcpEnabled(), "mcpEnabled");
    }

    private static void refuse(boolean asked, String option) {
        if (asked) {
            throw new IllegalArgumentException("camel.management." + option + "=true needs camel-platform-http-main, "
                    + "which this app does not hold; its management server serves the health checks "
                    + "(healthCheckEnabled) and the metrics (metricsEnabled) only");
        }
    }
}
