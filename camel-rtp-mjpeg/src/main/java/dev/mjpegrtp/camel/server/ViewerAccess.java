package dev.mjpegrtp.camel.server;

import java.net.InetAddress;

/**
 * Whether a request may reach a path, decided alike for RTSP and HTTP: an address that failed to authenticate too
 * often waits (503 with Retry-After), right credentials or not, so that it learns nothing from its guesses until the
 * wait is over; then an address the path does not allow is forbidden (403) and a request without the right
 * credentials is challenged (401). Refused addresses and wrong credentials count towards the address's failures.
 *
 * @param retryAfterSeconds THROTTLED: when the address may try again
 * @param challenge         UNAUTHORIZED: the {@code WWW-Authenticate} value
 */
public record ViewerAccess(Outcome outcome, long retryAfterSeconds, String challenge) {

    /** What the connection answers. */
    public enum Outcome {
        GRANTED, THROTTLED, FORBIDDEN, UNAUTHORIZED
    }

    private static final ViewerAccess GRANTED = new ViewerAccess(Outcome.GRANTED, 0, null);
    private static final ViewerAccess FORBIDDEN = new ViewerAccess(Outcome.FORBIDDEN, 0, null);

    /**
     * Decides on one request.
     *
     * @param what           what the request asks for, for the throttle's log ({@code "DESCRIBE of /door"})
     * @param addressAllowed whether the path serves the client's address
     * @param connection     an identity of the request's connection (see {@link ViewerAuthenticator#check})
     * @param authorization  the request's Authorization header, null when absent
     */
    public static ViewerAccess decide(AuthenticationThrottle throttle, InetAddress client, String what,
                                      boolean addressAllowed, ViewerAuthenticator authenticator, String connection,
                                      String method, String uri, String authorization) {
        if (!addressAllowed || authenticator.asksForCredentials()) {
            long retryAfterMillis = throttle.retryAfterMillis(client);
            if (retryAfterMillis > 0) {
                return new ViewerAccess(Outcome.THROTTLED, (retryAfterMillis + 999) / 1000, null);
            }
        }
        if (!addressAllowed) {
            throttle.failed(client, what + ": not an allowed client");
            return FORBIDDEN;
        }
        ViewerAuthenticator.Verdict verdict = authenticator.check(connection, method, uri, authorization);
        if (verdict.granted()) {
            return GRANTED;
        }
        if (verdict.wrongCredentials()) {
            throttle.failed(client, what + ": wrong credentials");
        }
        return new ViewerAccess(Outcome.UNAUTHORIZED, 0, verdict.challenge());
    }
}
