package dev.mjpegrtp.app;

/** What the management server ({@link ObserveHttpServer}) answers to a GET of one path and of the paths under it. */
interface ObserveEndpoint {

    /**
     * The answer to a GET of {@code path}, on the server's worker thread (never on an event loop, so it may take some
     * milliseconds).
     *
     * @param path   the request's path, without its query
     * @param accept the request's {@code Accept} header; null without one
     */
    ObserveAnswer answer(String path, String accept);
}
