package dev.mjpegrtp.camel.server;

import dev.mjpegrtp.testing.RtspTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Basic credentials: which answers are granted, and which count as a wrong guess towards throttling. */
class BasicAuthenticatorTest {

    private static final String URI = "rtsp://cam.local:8554/door";

    private final BasicAuthenticator authenticator = new BasicAuthenticator("alice", "s3cret");

    private ViewerAuthenticator.Verdict check(String authorization) {
        return authenticator.check("connection-1", "DESCRIBE", URI, authorization);
    }

    private static String basic(String username, String password) {
        return RtspTestClient.basicAuthorization(username, password).substring("Authorization: ".length());
    }

    @Test
    void noCredentialsAreAskedForAndAreNoGuess() {
        ViewerAuthenticator.Verdict asked = check(null);
        assertThat(asked.challenge()).isEqualTo("Basic realm=\"mjpeg-rtp\", charset=\"UTF-8\"");
        assertThat(asked.wrongCredentials()).isFalse();
    }

    @Test
    void rightCredentialsAreGrantedOnAnyConnection() {
        assertThat(check(basic("alice", "s3cret")).granted()).isTrue();
        assertThat(authenticator.check("connection-2", "SETUP", URI, basic("alice", "s3cret")).granted()).isTrue();
    }

    @Test
    void wrongCredentialsAndOtherSchemesAreWrongGuesses() {
        for (String wrong : new String[] {basic("alice", "guess"), basic("bob", "s3cret"), "Basic not-base64!",
            "Digest username=\"alice\"", "Bearer abc"}) {
            ViewerAuthenticator.Verdict verdict = check(wrong);
            assertThat(verdict.granted()).as(wrong).isFalse();
            assertThat(verdict.wrongCredentials()).as(wrong).isTrue();
        }
    }
}
