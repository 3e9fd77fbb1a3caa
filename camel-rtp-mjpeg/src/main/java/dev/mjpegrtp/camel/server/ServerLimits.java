package dev.mjpegrtp.camel.server;

/**
 * What every server of a component, RTSP or HTTP, bounds alike: component options.
 *
 * @param maxConnections              connections one server holds open at once
 * @param maxConnectionsPerAddress    connections one server holds open at once from one client address
 * @param connectionIdleTimeoutMillis a connection that holds no viewer and sends nothing for this long is closed
 * @param maxAuthenticationFailures   failed authentications per client address per minute before it is throttled
 */
public record ServerLimits(int maxConnections, int maxConnectionsPerAddress, long connectionIdleTimeoutMillis,
                           int maxAuthenticationFailures) {

    public ServerLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || connectionIdleTimeoutMillis < 1
                || maxAuthenticationFailures < 1) {
            throw new IllegalArgumentException("maxConnections, maxConnectionsPerAddress, connectionIdleTimeout and "
                    + "maxAuthenticationFailures must be positive");
        }
    }
}
