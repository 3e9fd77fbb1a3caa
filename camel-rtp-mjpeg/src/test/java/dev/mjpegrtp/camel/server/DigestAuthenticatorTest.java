package dev.mjpegrtp.camel.server;

import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.testing.RtspTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Digest responses against a clock the test moves: what is accepted, when a nonce is stale, not ours or another
 * connection's, and that a count (nc) is good once.
 */
class DigestAuthenticatorTest {

    private static final String URI = "rtsp://cam.local:8554/door";
    private static final long LIFETIME = 60_000;
    private static final String CONNECTION = "connection-1";

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final DigestAuthenticator authenticator = new DigestAuthenticator("alice", "s3cret", LIFETIME, now::get);

    private static String answer(String challenge, String method, String uri, String password, boolean qop) {
        return RtspTestClient.digestAuthorization(challenge, method, uri, "alice", password, qop)
                .substring("Authorization: ".length());
    }

    private static String answer(String challenge, int nc) {
        return RtspTestClient.digestAuthorization(challenge, "DESCRIBE", URI, "alice", "s3cret", nc)
                .substring("Authorization: ".length());
    }

    private ViewerAuthenticator.Verdict check(String connection, String method, String uri, String authorization) {
        return authenticator.check(connection, method, uri, authorization);
    }

    private String challenge() {
        ViewerAuthenticator.Verdict asked = check(CONNECTION, "DESCRIBE", URI, null);
        assertThat(asked.wrongCredentials()).as("no credentials are no guess").isFalse();
        return asked.challenge();
    }

    @Test
    void rightAnswersWithAndWithoutQopAreAccepted() {
        String challenge = challenge();
        assertThat(challenge).startsWith("Digest realm=\"mjpeg-rtp\"").contains("qop=\"auth\"").doesNotContain("stale");
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "s3cret", true)).granted()).isTrue();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "s3cret", false)).granted()).isTrue();
    }

    @Test
    void wrongPasswordMethodOrUriIsAWrongGuess() {
        String challenge = challenge();
        ViewerAuthenticator.Verdict wrong = check(CONNECTION, "DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "guess", true));
        assertThat(wrong.challenge()).startsWith("Digest ").doesNotContain("stale");
        assertThat(wrong.wrongCredentials()).isTrue();
        assertThat(check(CONNECTION, "SETUP", URI, answer(challenge, "DESCRIBE", URI, "s3cret", true)).wrongCredentials())
                .as("an answer for DESCRIBE replayed on SETUP").isTrue();
        assertThat(check(CONNECTION, "DESCRIBE", URI + "/other",
                answer(challenge, "DESCRIBE", URI + "/x", "s3cret", true)).granted()).isFalse();
        assertThat(check(CONNECTION, "DESCRIBE", URI, "Digest username=\"alice\", unterminated=\"").wrongCredentials()).isTrue();
        assertThat(check(CONNECTION, "DESCRIBE", URI, "Bearer abc").wrongCredentials()).isTrue();
    }

    @Test
    void anExpiredNonceGetsAStaleChallengeAndAForgedOneAPlainChallenge() {
        String challenge = challenge();
        String answer = answer(challenge, "DESCRIBE", URI, "s3cret", false);
        now.addAndGet(LIFETIME - 1);
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer).granted()).as("just before expiry").isTrue();
        now.addAndGet(2);
        ViewerAuthenticator.Verdict expired = check(CONNECTION, "DESCRIBE", URI, answer);
        assertThat(expired.challenge()).contains("stale=true");
        assertThat(expired.wrongCredentials()).as("right credentials on an old nonce are no guess").isFalse();

        String nonce = RtspTestClient.param(challenge, "nonce");
        char last = nonce.charAt(nonce.length() - 1);
        String forged = challenge.replace(nonce, nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(forged, "DESCRIBE", URI, "guess", true)).challenge())
                .doesNotContain("stale");
    }

    @Test
    void aNonceIsWorthNothingOnAnotherConnection() {
        String challenge = challenge();
        for (boolean qop : new boolean[] {true, false}) {
            ViewerAuthenticator.Verdict replayed = check("connection-2", "DESCRIBE", URI,
                    answer(challenge, "DESCRIBE", URI, "s3cret", qop));
            assertThat(replayed.granted()).as("qop " + qop).isFalse();
            assertThat(replayed.challenge()).contains("stale=true");
        }
    }

    @Test
    void eachCountOfANonceIsGoodOnce() {
        String challenge = challenge();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, 1)).granted()).isTrue();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, 1)).granted()).as("nc 1 again").isFalse();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, 3)).granted()).isTrue();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, 2)).granted()).as("below the highest").isFalse();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(challenge, 4)).granted()).isTrue();
    }

    @Test
    void forgettingTheCountsOfOldNoncesMakesThemStaleNotReplayable() {
        String first = challenge();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(first, 1)).granted()).isTrue();
        now.incrementAndGet();
        for (int i = 0; i < DigestAuthenticator.MAX_TRACKED_NONCES; i++) {
            String challenge = check("c" + i, "DESCRIBE", URI, null).challenge();
            assertThat(check("c" + i, "DESCRIBE", URI, RtspTestClient.digestAuthorization(challenge, "DESCRIBE", URI,
                    "alice", "s3cret", 1).substring("Authorization: ".length())).granted()).isTrue();
        }
        ViewerAuthenticator.Verdict replayed = check(CONNECTION, "DESCRIBE", URI, answer(first, 1));
        assertThat(replayed.granted()).as("a count forgotten to make room").isFalse();
        assertThat(replayed.challenge()).contains("stale=true");
        String fresh = challenge();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(fresh, 1)).granted()).as("a nonce issued after").isTrue();
    }

    @Test
    void anotherAuthenticatorsNoncesAreNotOurs() {
        DigestAuthenticator other = new DigestAuthenticator("alice", "s3cret", LIFETIME, now::get);
        String theirs = other.check(CONNECTION, "DESCRIBE", URI, null).challenge();
        assertThat(check(CONNECTION, "DESCRIBE", URI, answer(theirs, "DESCRIBE", URI, "s3cret", true)).granted()).isFalse();
    }
}
