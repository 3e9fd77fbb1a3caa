package dev.mjpegrtp.camel.server;

/** How viewers prove they know the endpoint's username and password. */
public enum AuthMethod {
    /** HTTP Digest (RFC 7616, MD5, the algorithm RTSP clients implement), with nonces that expire. */
    DIGEST,
    /** HTTP Basic (RFC 7617): the password crosses the network in clear; use it only where Digest is not understood. */
    BASIC
}
