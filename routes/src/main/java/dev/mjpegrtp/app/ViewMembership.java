package dev.mjpegrtp.app;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;

/**
 * Membership as the cluster service itself reports it: the members of a view that every instance joins
 * ({@link CamelClusterView#getMembers()}; on ZooKeeper, the participants of that namespace's election, whose
 * ephemeral nodes vanish with their session). For services whose views do report members.
 */
final class ViewMembership implements ClusterMembership {

    static final String NAMESPACE = "mjpeg-rtp-members";

    private final CamelClusterService service;
    private CamelClusterView view;

    ViewMembership(CamelClusterService service) {
        this.service = service;
    }

    @Override
    public String self() {
        return service.getId();
    }

    @Override
    public Set<String> members() {
        Set<String> members = new TreeSet<>();
        for (CamelClusterMember member : view.getMembers()) {
            members.add(member.getId());
        }
        members.add(self());
        return members;
    }

    @Override
    public void start() throws Exception {
        view = service.getView(NAMESPACE);
    }

    @Override
    public void stop() throws Exception {
        if (view != null) {
            service.releaseView(view);
            view = null;
        }
    }
}
