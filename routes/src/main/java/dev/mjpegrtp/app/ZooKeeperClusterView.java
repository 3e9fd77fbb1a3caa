package dev.mjpegrtp.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One namespace of {@link ZooKeeperClusterService}: a LeaderLatch, new at each start, closed at each stop. */
final class ZooKeeperClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClusterView.class);

    private final ZooKeeperClusterService service;
    private final String path;
    private final CamelClusterMember localMember = new Member(null, false, true) {
        @Override
        public boolean isLeader() {
            LeaderLatch current = latch;
            return current != null && current.hasLeadership();
        }
    };
    private volatile LeaderLatch latch;

    ZooKeeperClusterView(ZooKeeperClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        // Route ids may hold '/', '.' and other characters ZooKeeper paths treat specially.
        this.path = ZKPaths.makePath(service.getBasePath(), URLEncoder.encode(namespace, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        LeaderLatch current = latch;
        if (current == null) {
            return Optional.empty();
        }
        try {
            Participant leader = current.getLeader();
            return leader.isLeader() ? Optional.of(member(leader)) : Optional.empty();
        } catch (Exception e) {
            LOG.debug("Leader of {} not readable: {}", path, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return localMember;
    }

    /** The participants of this namespace's election: the instances contending for it, whose sessions are alive. */
    @Override
    public List<CamelClusterMember> getMembers() {
        LeaderLatch current = latch;
        List<CamelClusterMember> members = new ArrayList<>();
        if (current == null) {
            return members;
        }
        try {
            for (Participant participant : current.getParticipants()) {
                members.add(member(participant));
            }
        } catch (Exception e) {
            throw new IllegalStateException("members of " + path + " not readable: " + e.getMessage(), e);
        }
        return members;
    }

    @Override
    protected void doStart() throws Exception {
        LeaderLatch started = new LeaderLatch(service.client(), path, service.getId(), LeaderLatch.CloseMode.NOTIFY_LEADER);
        started.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("Leader of {}", path);
                fireLeadershipChangedEvent(localMember);
            }

            @Override
            public void notLeader() {
                LOG.info("No longer leader of {}", path);
                fireLeadershipChangedEvent((CamelClusterMember) null);
            }
        });
        latch = started;
        started.start();
    }

    @Override
    protected void doStop() throws Exception {
        LeaderLatch stopped = latch;
        latch = null;
        if (stopped != null) {
            stopped.close();
        }
    }

    private CamelClusterMember member(Participant participant) {
        return new Member(participant.getId(), participant.isLeader(), participant.getId().equals(service.getId()));
    }

    private class Member implements CamelClusterMember {
        private final String id;
        private final boolean leader;
        private final boolean local;

        Member(String id, boolean leader, boolean local) {
            this.id = id;
            this.leader = leader;
            this.local = local;
        }

        @Override
        public String getId() {
            return id != null ? id : service.getId();
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return local;
        }
    }
}
