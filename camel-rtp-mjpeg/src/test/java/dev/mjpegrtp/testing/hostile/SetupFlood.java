package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.RtspTestClient;

/**
 * One client address taking every viewer slot of a path (issue 17, finding 7): {@value #CONNECTIONS} connections
 * each SETUP a new UDP session {@value #SETUPS_PER_SECOND} times a second and never PLAY. The client ports named are
 * the attacker's, on its own address; nothing is sent to them before a PLAY.
 */
public final class SetupFlood extends BoundedAttack {

    static final int CONNECTIONS = 4;
    static final int SETUPS_PER_SECOND = 10;

    private final InetAddress source;
    private final String host;
    private final int port;
    private final String path;
    private final List<RtspTestClient> clients = new ArrayList<>();
    private int setups;
    private int accepted;
    private int refused;
    private int connectionsLost;

    public SetupFlood(InetAddress source, String host, int port, String path) {
        super("setup-flood");
        this.source = source;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    @Override
    protected void attack() {
        int clientPort = 40_000;
        while (running()) {
            while (clients.size() < CONNECTIONS && connectionsLost < 10 * CONNECTIONS) {
                connect();
            }
            for (RtspTestClient client : List.copyOf(clients)) {
                try {
                    setups++;
                    int status = client.request("SETUP", client.trackUrl(),
                            "Transport: RTP/AVP;unicast;client_port=" + clientPort + "-" + (clientPort + 1)).status();
                    clientPort = clientPort >= 60_000 ? 40_000 : clientPort + 2;
                    if (status == 200) {
                        accepted++;
                    } else {
                        refused++;
                    }
                } catch (IOException e) {
                    connectionsLost++;
                    clients.remove(client);
                    closeQuietly(client);
                }
            }
            pause(1000 / SETUPS_PER_SECOND);
        }
    }

    private void connect() {
        try {
            RtspTestClient client = new RtspTestClient(source, host, port, path, 0);
            client.socket().setSoTimeout(2000);
            clients.add(client);
        } catch (IOException e) {
            connectionsLost++;
        }
    }

    private static void closeQuietly(RtspTestClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // the attacker's socket: nothing to do about a failure to close it
        }
    }

    @Override
    protected void release() {
        clients.forEach(SetupFlood::closeQuietly);
    }

    @Override
    public String summary() {
        return setups + " SETUPs without PLAY on /" + path + " from " + source.getHostAddress() + " over "
                + CONNECTIONS + " connections: " + accepted + " answered 200, " + refused + " refused, "
                + connectionsLost + " connections lost";
    }
}
