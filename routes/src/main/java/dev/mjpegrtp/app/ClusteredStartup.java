package dev.mjpegrtp.app;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.engine.DefaultRouteController;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With a cluster service configured, puts the default route controller back in place of the supervising one that
 * application.properties enables: under the supervising controller, Camel's ClusteredRoutePolicy (4.22.0) takes the
 * leadership but never starts its routes, so no camera would stream. The cluster policy starts and stops the routes
 * then; without a cluster service, the supervising controller starts them and retries the ones that fail.
 */
final class ClusteredStartup extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredStartup.class);

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext camelContext = main.getCamelContext();
        if (camelContext.getRouteController().isSupervising()
                && camelContext.hasServices(CamelClusterService.class).iterator().hasNext()) {
            camelContext.setRouteController(new DefaultRouteController(camelContext));
            LOG.info("A cluster service is configured: routes start when this instance leads them, not supervised");
        }
    }
}
