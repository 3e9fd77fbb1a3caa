package dev.mjpegrtp.camel.rtsp;

import java.util.concurrent.atomic.AtomicLong;

import dev.mjpegrtp.testing.RtspTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Digest responses against a clock the test moves: what is accepted, and when a nonce is stale or not ours. */
class DigestAuthenticatorTest {

    private static final String URI = "rtsp://cam.local:8554/door";
    private static final long LIFETIME = 60_000;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final DigestAuthenticator authenticator = new DigestAuthenticator("alice", "s3cret", LIFETIME, now::get);

    private String answer(String challenge, String method, String uri, String password, boolean qop) {
        return RtspTestClient.digestAuthorization(challenge, method, uri, "alice", password, qop)
                .substring("Authorization: ".length());
    }

    @Test
    void rightAnswersWithAndWithoutQopAreAccepted() {
        String challenge = authenticator.challengeFor("DESCRIBE", URI, null);
        assertThat(challenge).startsWith("Digest realm=\"mjpeg-rtp\"").contains("qop=\"auth\"").doesNotContain("stale");
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "s3cret", true))).isNull();
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "s3cret", false))).isNull();
    }

    @Test
    void wrongPasswordMethodOrUriIsChallengedAgain() {
        String challenge = authenticator.challengeFor("DESCRIBE", URI, null);
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer(challenge, "DESCRIBE", URI, "guess", true)))
                .startsWith("Digest ").doesNotContain("stale");
        assertThat(authenticator.challengeFor("SETUP", URI, answer(challenge, "DESCRIBE", URI, "s3cret", true)))
                .as("an answer for DESCRIBE replayed on SETUP").isNotNull();
        assertThat(authenticator.challengeFor("DESCRIBE", URI + "/other",
                answer(challenge, "DESCRIBE", URI + "/other".replace("other", "x"), "s3cret", true))).isNotNull();
        assertThat(authenticator.challengeFor("DESCRIBE", URI, "Digest username=\"alice\", unterminated=\"")).isNotNull();
        assertThat(authenticator.challengeFor("DESCRIBE", URI, "Bearer abc")).isNotNull();
    }

    @Test
    void anExpiredNonceGetsAStaleChallengeAndAForgedOneAPlainChallenge() {
        String challenge = authenticator.challengeFor("DESCRIBE", URI, null);
        String answer = answer(challenge, "DESCRIBE", URI, "s3cret", true);
        now.addAndGet(LIFETIME - 1);
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer)).as("just before expiry").isNull();
        now.addAndGet(2);
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer)).contains("stale=true");

        String nonce = RtspTestClient.param(challenge, "nonce");
        char last = nonce.charAt(nonce.length() - 1);
        String forged = challenge.replace(nonce, nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer(forged, "DESCRIBE", URI, "s3cret", true)))
                .doesNotContain("stale");
    }

    @Test
    void anotherAuthenticatorsNoncesAreNotOurs() {
        DigestAuthenticator other = new DigestAuthenticator("alice", "s3cret", LIFETIME, now::get);
        String theirs = other.challengeFor("DESCRIBE", URI, null);
        assertThat(authenticator.challengeFor("DESCRIBE", URI, answer(theirs, "DESCRIBE", URI, "s3cret", true))).isNotNull();
    }
}
