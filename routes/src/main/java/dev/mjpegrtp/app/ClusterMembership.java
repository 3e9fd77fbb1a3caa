package dev.mjpegrtp.app;

import java.util.Set;

/** The live instances of a cluster, as their cluster service ids; {@link BalancedOwnership} asks it twice a second. */
interface ClusterMembership {

    /** This instance's id. */
    String self();

    /** The ids of the live instances, this one included; never empty while started. */
    Set<String> members() throws Exception;

    void start() throws Exception;

    void stop() throws Exception;
}
