package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.InetAddress;

import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspTestClient.Response;

/**
 * Captured Digest credentials replayed from another address (issue 17, finding 5). A legitimate viewer on the
 * server's side of the test (127.0.0.1, the viewers' address) authenticates as a client does: qop=auth, nc counting
 * 1, 2, 3 under one nonce for DESCRIBE, SETUP (TCP interleaved) and PLAY. Its SETUP and PLAY headers, as an
 * eavesdropper would capture them, are then replayed from the attacker's address twice a second, each time on a new
 * connection: SETUP verbatim, then PLAY verbatim with the session the replayed SETUP got. Any replay that the server
 * answers with 200 is a breach.
 */
public final class DigestReplay extends BoundedAttack {

    static final int REPLAYS_PER_SECOND = 2;
    private static final String TRANSPORT = "Transport: RTP/AVP/TCP;unicast;interleaved=0-1";

    private final InetAddress source;
    private final String host;
    private final int port;
    private final String path;
    private final String username;
    private final String password;
    private RtspTestClient replayer;
    private int replays;
    private int setupsAccepted;
    private int playsAccepted;
    private int interleavedReceived;
    private String lastRefusal = "none";

    public DigestReplay(InetAddress source, String host, int port, String path, String username, String password) {
        super("digest-replay");
        this.source = source;
        this.host = host;
        this.port = port;
        this.path = path;
        this.username = username;
        this.password = password;
    }

    @Override
    protected void attack() throws IOException {
        String setupAuthorization;
        String playAuthorization;
        try (RtspTestClient victim = new RtspTestClient(host, port, path)) {
            String challenge = victim.request("DESCRIBE", victim.url()).expect(401).header("www-authenticate");
            victim.request("DESCRIBE", victim.url(),
                    RtspTestClient.digestAuthorization(challenge, "DESCRIBE", victim.url(), username, password, 1))
                    .expect(200);
            setupAuthorization = RtspTestClient.digestAuthorization(challenge, "SETUP", victim.trackUrl(), username,
                    password, 2);
            String session = victim.request("SETUP", victim.trackUrl(), setupAuthorization, TRANSPORT).expect(200)
                    .session();
            playAuthorization = RtspTestClient.digestAuthorization(challenge, "PLAY", victim.url(), username, password, 3);
            victim.request("PLAY", victim.url(), playAuthorization, "Session: " + session).expect(200);
        }
        while (running()) {
            replay(setupAuthorization, playAuthorization);
            pause(1000 / REPLAYS_PER_SECOND);
        }
    }

    private void replay(String setupAuthorization, String playAuthorization) throws IOException {
        replays++;
        try (RtspTestClient client = new RtspTestClient(source, host, port, path, 0)) {
            replayer = client;
            client.socket().setSoTimeout(2000);
            Response setup = client.request("SETUP", client.trackUrl(), setupAuthorization, TRANSPORT);
            if (setup.status() != 200) {
                lastRefusal = "SETUP " + setup.status();
                return;
            }
            setupsAccepted++;
            breach("replayed SETUP from " + source.getHostAddress() + " answered 200 (session " + setup.session() + ")");
            Response play = client.request("PLAY", client.url(), playAuthorization, "Session: " + setup.session());
            if (play.status() != 200) {
                lastRefusal = "PLAY " + play.status();
                return;
            }
            playsAccepted++;
            client.readInterleaved();
            interleavedReceived++;
            breach("replayed PLAY from " + source.getHostAddress() + " answered 200 and the stream came");
        } catch (IOException e) {
            lastRefusal = e.toString();
        } finally {
            replayer = null;
        }
    }

    @Override
    protected void release() {
        RtspTestClient client = replayer;
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the attacker's socket: nothing to do about a failure to close it
            }
        }
    }

    @Override
    public String summary() {
        return replays + " replays of a viewer's SETUP and PLAY on /" + path + " from " + source.getHostAddress() + ": "
                + setupsAccepted + " SETUPs and " + playsAccepted + " PLAYs answered 200, " + interleavedReceived
                + " streams received; last refusal: " + lastRefusal;
    }
}
