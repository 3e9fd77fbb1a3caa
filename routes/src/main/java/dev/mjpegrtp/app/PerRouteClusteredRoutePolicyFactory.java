package dev.mjpegrtp.app;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * When a Camel cluster service is configured ({@code camel.cluster.file.*}, {@code camel.cluster.kubernetes.*}, ...),
 * puts every route under a {@link ClusteredRoutePolicy} whose namespace is the route id: each camera streams from
 * exactly one instance, the leader of its namespace, and another instance takes over when that one dies. Without a
 * cluster service, routes run as usual.
 */
public class PerRouteClusteredRoutePolicyFactory implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!camelContext.hasServices(CamelClusterService.class).iterator().hasNext()) {
            return null;
        }
        try {
            return ClusteredRoutePolicy.forNamespace(camelContext, routeId);
        } catch (Exception e) {
            throw new RuntimeCamelException("cannot create the clustered route policy of route " + routeId, e);
        }
    }
}
