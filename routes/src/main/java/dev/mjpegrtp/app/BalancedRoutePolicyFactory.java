package dev.mjpegrtp.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * When a Camel cluster service is configured ({@code camel.cluster.file.*}, {@code mjpegrtp.cluster.zookeeper.*},
 * ...), hands every route to the context's {@link BalancedOwnership}: the cameras spread over the live instances, and
 * each streams from exactly one instance, the leader of the namespace named after its route id. With
 * {@code mjpegrtp.cluster.balanced=false}, every route gets Camel's plain {@link ClusteredRoutePolicy} instead. Without
 * a cluster service, routes run as usual.
 */
public class BalancedRoutePolicyFactory implements RoutePolicyFactory {

    /** {@code false}: Camel's plain {@link ClusteredRoutePolicy} per route, the first instance to a lock owns it. */
    static final String BALANCED = "mjpegrtp.cluster.balanced";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        Optional<CamelClusterService> service = ClusterServiceHelper.lookupService(camelContext);
        if (service.isEmpty()) {
            return null;
        }
        if (!Boolean.parseBoolean(camelContext.getPropertiesComponent().resolveProperty(BALANCED).orElse("true"))) {
            try {
                return ClusteredRoutePolicy.forNamespace(camelContext, routeId);
            } catch (Exception e) {
                throw new RuntimeCamelException("cannot create the clustered route policy of route " + routeId, e);
            }
        }
        return new BalancedRoutePolicy(ownershipOf(camelContext, service.get()));
    }

    private static synchronized BalancedOwnership ownershipOf(CamelContext camelContext, CamelClusterService service) {
        BalancedOwnership ownership = camelContext.hasService(BalancedOwnership.class);
        if (ownership == null) {
            ownership = new BalancedOwnership(camelContext, service, membershipOf(service));
            try {
                camelContext.addService(ownership, true, true);
            } catch (Exception e) {
                throw new RuntimeCamelException("cannot start the balanced ownership of the cameras", e);
            }
        }
        return ownership;
    }

    private static ClusterMembership membershipOf(CamelClusterService service) {
        FileLockClusterService files = service instanceof FileLockClusterService f ? f : null;
        if (files == null) {
            return new ViewMembership(service);
        }
        String id = files.getId() != null ? files.getId() : hostAndPid();
        return new FileHeartbeatMembership(Path.of(files.getRoot()), id,
                files.getAcquireLockInterval() * files.getHeartbeatTimeoutMultiplier(), files.getAcquireLockIntervalUnit());
    }

    static String hostAndPid() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (UnknownHostException e) {
            return "instance-" + ProcessHandle.current().pid();
        }
    }

    /** Leaves the route's start and stop to the balanced ownership, and drops its frames while another sends. */
    private static final class BalancedRoutePolicy extends RoutePolicySupport {
        private final BalancedOwnership ownership;

        BalancedRoutePolicy(BalancedOwnership ownership) {
            this.ownership = ownership;
        }

        @Override
        public void onInit(Route route) {
            super.onInit(route);
            route.setAutoStartup(false);
            ownership.register(route.getId());
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (!ownership.admit(route.getId(), exchange)) {
                exchange.setRouteStop(true);
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            ownership.done(route.getId(), exchange);
        }
    }
}
