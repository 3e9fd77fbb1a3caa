package dev.mjpegrtp.testing.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.mjpegrtp.testing.RtspTestClient;
import dev.mjpegrtp.testing.RtspTestClient.Response;

/**
 * Password guessing against a protected path (issue 17, finding 8): {@value #CONNECTIONS} connections from one address,
 * each answering the server's Digest challenge with a wrong password {@value #GUESSES_PER_SECOND} times a second (under
 * the per-connection request limit), taking the nonce of each 401. A server without throttling answers them all at
 * once and logs every failure.
 */
public final class DigestBruteForce extends BoundedAttack {

    static final int CONNECTIONS = 10;
    static final int GUESSES_PER_SECOND = 15;

    private final InetAddress source;
    private final String host;
    private final int port;
    private final String path;
    private final String username;
    private final List<Guesser> guessers = new ArrayList<>();
    private int guesses;
    private int unauthorized;
    private int otherAnswers;
    private int connectionsLost;

    public DigestBruteForce(InetAddress source, String host, int port, String path, String username) {
        super("digest-brute-force");
        this.source = source;
        this.host = host;
        this.port = port;
        this.path = path;
        this.username = username;
    }

    @Override
    protected void attack() {
        while (running()) {
            while (guessers.size() < CONNECTIONS && connectionsLost < 10 * CONNECTIONS) {
                connect();
            }
            for (Guesser guesser : List.copyOf(guessers)) {
                try {
                    guesses++;
                    String url = guesser.client.url();
                    Response response = guesser.client.request("DESCRIBE", url, RtspTestClient.digestAuthorization(
                            guesser.challenge, "DESCRIBE", url, username, "guess-" + guesses, 1));
                    if (response.status() == 401) {
                        unauthorized++;
                        guesser.challenge = response.header("www-authenticate");
                    } else {
                        otherAnswers++;
                    }
                    if (response.status() == 200) {
                        breach("wrong password guess-" + guesses + " answered 200");
                    }
                } catch (IOException | RuntimeException e) {
                    connectionsLost++;
                    guessers.remove(guesser);
                    closeQuietly(guesser.client);
                }
            }
            pause(1000 / GUESSES_PER_SECOND);
        }
    }

    private void connect() {
        RtspTestClient client = null;
        try {
            client = new RtspTestClient(source, host, port, path, 0);
            client.socket().setSoTimeout(2000);
            String challenge = client.request("DESCRIBE", client.url()).header("www-authenticate");
            if (challenge == null) {
                throw new IOException("no challenge");
            }
            guessers.add(new Guesser(client, challenge));
        } catch (IOException e) {
            connectionsLost++;
            if (client != null) {
                closeQuietly(client);
            }
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
        guessers.forEach(guesser -> closeQuietly(guesser.client));
    }

    @Override
    public String summary() {
        return guesses + " wrong Digest passwords on /" + path + " from " + source.getHostAddress() + " over "
                + CONNECTIONS + " connections: " + unauthorized + " answered 401, " + otherAnswers + " otherwise, "
                + connectionsLost + " connections lost or refused";
    }

    private static final class Guesser {
        private final RtspTestClient client;
        private String challenge;

        private Guesser(RtspTestClient client, String challenge) {
            this.client = client;
            this.challenge = challenge;
        }
    }
}
