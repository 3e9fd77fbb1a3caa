package dev.mjpegrtp.app;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the cameras (routes) of one CamelContext over the live instances of its cluster service. Twice a second it
 * reads the membership and computes the owner of every camera ({@link CameraAssignment}). An instance starts the
 * routes of the cameras it owns, then contends for the leadership of each one's namespace (the route id); a route's
 * frames go out only while this instance leads its namespace (its gate is open), so two instances never send one
 * camera: the cluster service's exclusion decides that, the assignment only decides who asks.
 *
 * <p>A camera whose owner changes is handed over in that order: the new owner starts its route (frames held back)
 * and, once the route produces frames, contends; the old owner, once the namespace's view lists the new owner among
 * its contenders (on services whose views list none, such as the file service, 2 s after it saw the new owner),
 * closes its gate, waits for the frame being sent, releases the namespace and stops its route; the new owner leads
 * and opens its gate. A hand-over thus costs the service's notice of the release, not a route start. Starts, stops,
 * contentions and releases run on one thread; gates open and close on any.
 */
final class BalancedOwnership extends ServiceSupport {

    private static final long PERIOD_MILLIS = 500;
    /** How long an old owner waits for the new one to contend before it releases anyway. */
    private static final long HAND_OVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Where views list no contenders (the file service): the time the new owner has to start the camera's route. */
    private static final long HAND_OVER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A route that failed to start is tried again after 2 s, then twice as long each time, up to a minute. */
    private static final long START_RETRY_FIRST_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long START_RETRY_MAX_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(BalancedOwnership.class);

    private final CamelContext camelContext;
    private final CamelClusterService service;
    private final ClusterMembership membership;
    private final Map<String, Camera> cameras = new ConcurrentSkipListMap<>();
    private ScheduledExecutorService executor;
    private Set<String> lastMembers = Set.of();

    BalancedOwnership(CamelContext camelContext, CamelClusterService service, ClusterMembership membership) {
        this.camelContext = camelContext;
        this.service = service;
        this.membership = membership;
    }

    void register(String routeId) {
        cameras.putIfAbsent(routeId, new Camera(routeId));
    }

    /** Lets a frame of the route through while this instance leads its camera; false: drop the frame. */
    boolean admit(String routeId, Exchange exchange) {
        Camera camera = cameras.get(routeId);
        return camera != null && camera.admit(exchange);
    }

    void done(String routeId, Exchange exchange) {
        Camera camera = cameras.get(routeId);
        if (camera != null) {
            camera.done(exchange);
        }
    }

    @Override
    protected void doStart() throws Exception {
        membership.start();
        executor = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "balanced-ownership");
        executor.scheduleWithFixedDelay(this::rebalance, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Releases every camera, then leaves the membership: the others take over at once, not after a timeout. */
    @Override
    protected void doStop() throws Exception {
        try {
            if (executor != null) {
                camelContext.getExecutorServiceManager().shutdownNow(executor);
                executor.awaitTermination(10, TimeUnit.SECONDS);
                executor = null;
            }
            releaseAll();
        } finally {
            membership.stop();
        }
    }

    private void rebalance() {
        if (!camelContext.isStarted()) {
            return; // routes start once the context has, as with ClusteredRoutePolicy
        }
        Set<String> members;
        try {
            members = membership.members();
        } catch (Exception e) {
            LOG.warn("Cluster membership not readable, cameras stay as they are: {}", e.getMessage());
            return;
        }
        Map<String, String> owners = CameraAssignment.owners(cameras.keySet(), members);
        if (!members.equals(lastMembers)) {
            long mine = owners.values().stream().filter(membership.self()::equals).count();
            LOG.info("Cluster members {}: {} of {} cameras are this instance's ({})", members, mine, cameras.size(),
                    membership.self());
            lastMembers = members;
        }
        for (Camera camera : cameras.values()) {
            try {
                String owner = owners.get(camera.routeId);
                camera.owned = membership.self().equals(owner);
                if (camera.owned) {
                    camera.contend();
                } else {
                    camera.handOver(owner);
                }
                camera.follow();
            } catch (Exception e) {
                LOG.warn("Camera {}: {}", camera.routeId, e.getMessage(), e);
            }
        }
    }

    private void releaseAll() {
        for (Camera camera : cameras.values()) {
            try {
                camera.release();
            } catch (Exception e) {
                LOG.warn("Camera {} not released: {}", camera.routeId, e.getMessage(), e);
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** One camera: its namespace while this instance contends for it, its route and the gate of its frames. */
    private final class Camera implements CamelClusterEventListener.Leadership {
        private static final String ADMITTED = "mjpegrtp.balancedOwnership.admitted";

        private final String routeId;
        private final AtomicInteger sending = new AtomicInteger();
        /** Frames the route produced since it started, sent or held back. */
        private final AtomicLong frames = new AtomicLong();
        private volatile boolean open;
        private volatile boolean owned;
        private CamelClusterView view;
        private String handingOverTo;
        private long handOverSince;
        private int failedStarts;
        private long nextStartNanos;

        Camera(String routeId) {
            this.routeId = routeId;
        }

        /**
         * Starts the route with its gate closed, and contends once the route has produced a frame: this instance is
         * ready before it can lead.
         */
        void contend() throws Exception {
            handingOverTo = null;
            if (view == null) {
                startRoute();
                if (frames.get() > 0) {
                    view = service.getView(routeId);
                    view.addEventListener(this);
                }
            }
        }

        /**
         * Releases the camera once its new owner contends for it; where the view lists no contenders, once the new
         * owner has had the grace to start the route; and in any case after the longest wait.
         */
        void handOver(String owner) throws Exception {
            if (view == null) {
                stopRoute();
                return;
            }
            long now = System.nanoTime();
            if (!owner.equals(handingOverTo)) {
                handingOverTo = owner;
                handOverSince = now;
            }
            List<CamelClusterMember> contenders = view.getMembers();
            boolean ready = contenders.stream().anyMatch(m -> owner.equals(m.getId()))
                    || contenders.isEmpty() && now - handOverSince > HAND_OVER_GRACE_NANOS;
            if (!isLeader() || ready || now - handOverSince > HAND_OVER_WAIT_NANOS) {
                release();
            }
        }

        /** Closes the gate, waits for the frame being sent, gives up the namespace, then stops the route. */
        void release() throws Exception {
            handingOverTo = null;
            if (view != null) {
                close();
                view.removeEventListener(this);
                service.releaseView(view);
                view = null;
                LOG.info("Camera {} released", routeId);
            }
            stopRoute();
        }

        /** Opens the gate while this instance leads the camera's namespace, and only then. */
        void follow() throws Exception {
            if (isLeader()) {
                startRoute();
                if (!open) {
                    LOG.info("Camera {} sends: this instance leads its namespace", routeId);
                    open = true;
                }
            } else {
                close();
            }
        }

        boolean admit(Exchange exchange) {
            if (frames.incrementAndGet() == 1 && owned) {
                onOwnershipThread(() -> { // ready now, not at the next period
                    if (owned) {
                        contend();
                    }
                });
            }
            sending.incrementAndGet(); // before the check: close() then either sees this frame or this frame sees it
            if (!open) {
                sending.decrementAndGet();
                return false;
            }
            exchange.setProperty(ADMITTED, Boolean.TRUE);
            return true;
        }

        void done(Exchange exchange) {
            if (exchange.removeProperty(ADMITTED) != null) {
                sending.decrementAndGet();
            }
        }

        private void close() throws InterruptedException {
            if (open) {
                open = false;
                LOG.info("Camera {} holds its frames", routeId);
            }
            // A stopped route has nothing in flight (its stop waited for it) and runs no policy callback.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (sending.get() > 0 && isStarted() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }

        private boolean isLeader() {
            return view != null && view.getLocalMember().isLeader();
        }

        private boolean isStarted() {
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(routeId);
            return status != null && status.isStarted();
        }

        /**
         * Starts the route unless it runs; one that fails to start (a bad pipeline, a port in use) is retried with
         * backoff, not on every rebalance, and logged once per attempt without its stack trace.
         */
        private void startRoute() {
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(routeId);
            if (status == null || status.isStarted() || System.nanoTime() - nextStartNanos < 0) {
                return;
            }
            frames.set(0);
            sending.set(0);
            try {
                camelContext.getRouteController().startRoute(routeId);
                failedStarts = 0;
            } catch (Exception e) {
                long delay = Math.min(START_RETRY_MAX_NANOS, START_RETRY_FIRST_NANOS << Math.min(failedStarts, 5));
                failedStarts++;
                nextStartNanos = System.nanoTime() + delay;
                LOG.warn("Camera {} cannot start (attempt {}, next in {} s): {}", routeId, failedStarts,
                        TimeUnit.NANOSECONDS.toSeconds(delay), e.getMessage());
            }
        }

        private void stopRoute() throws Exception {
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(routeId);
            if (status != null && status.isStarted()) {
                camelContext.getRouteController().stopRoute(routeId, 5, TimeUnit.SECONDS);
            }
        }

        /**
         * On the cluster service's thread: the gate follows the leadership at once (it opens only on a started route,
         * so a hand-over costs no queueing behind this instance's route starts); the rest follows on the ownership
         * thread.
         */
        @Override
        public void leadershipChanged(CamelClusterView changed, CamelClusterMember leader) {
            if (!changed.getLocalMember().isLeader()) {
                open = false;
            } else if (!open && isStarted()) {
                LOG.info("Camera {} sends: this instance leads its namespace", routeId);
                open = true;
            }
            onOwnershipThread(this::follow);
        }

        private void onOwnershipThread(Step step) {
            ScheduledExecutorService current = executor;
            if (current != null && !current.isShutdown()) {
                current.execute(() -> {
                    try {
                        step.run();
                    } catch (Exception e) {
                        LOG.warn("Camera {}: {}", routeId, e.getMessage(), e);
                    }
                });
            }
        }
    }
}
