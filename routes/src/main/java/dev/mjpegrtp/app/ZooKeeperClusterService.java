package dev.mjpegrtp.app;

import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A Camel cluster service on ZooKeeper, for instances that share no directory: each namespace is a Curator
 * {@code LeaderLatch} under {@code basePath}, so ZooKeeper's quorum decides the one leader of each camera, and a
 * view's members are that latch's participants, whose ephemeral nodes vanish with their session. An instance cut off
 * from the quorum loses its leadership when its connection is suspended, before the server expires its session and
 * lets another lead ({@code sessionTimeout}). The shape of Camel's own camel-zookeeper-master, which is not published
 * for Camel 4.22.0.
 */
public class ZooKeeperClusterService extends AbstractCamelClusterService<ZooKeeperClusterView> {

    private String connectString;
    private String basePath = "/mjpeg-rtp";
    private int sessionTimeoutMillis = 3000;
    private int connectionTimeoutMillis = 3000;
    private CuratorFramework client;

    @Override
    protected ZooKeeperClusterView createView(String namespace) {
        return new ZooKeeperClusterView(this, namespace);
    }

    @Override
    protected void doStart() throws Exception {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("mjpegrtp.cluster.zookeeper.connectString is not set");
        }
        if (getId() == null) {
            setId(BalancedRoutePolicyFactory.hostAndPid());
        }
        client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMillis)
                .connectionTimeoutMs(connectionTimeoutMillis)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 2000))
                .build();
        client.start();
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (client != null) {
            client.close(); // closes the session: this instance's ephemeral nodes go at once
            client = null;
        }
    }

    CuratorFramework client() {
        return client;
    }

    public String getConnectString() {
        return connectString;
    }

    public void setConnectString(String connectString) {
        this.connectString = connectString;
    }

    public String getBasePath() {
        return basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public int getSessionTimeoutMillis() {
        return sessionTimeoutMillis;
    }

    public void setSessionTimeoutMillis(int sessionTimeoutMillis) {
        this.sessionTimeoutMillis = sessionTimeoutMillis;
    }

    public int getConnectionTimeoutMillis() {
        return connectionTimeoutMillis;
    }

    public void setConnectionTimeoutMillis(int connectionTimeoutMillis) {
        this.connectionTimeoutMillis = connectionTimeoutMillis;
    }
}
