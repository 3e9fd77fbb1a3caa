/**
 * SRTP and SRTCP (RFC 3711) with the suite AES_CM_128_HMAC_SHA1_80 and a pre-shared master key (RFC 4568's inline
 * key): key derivation (§4.3), the AES counter-mode keystream (§4.1.1), HMAC-SHA1 authentication (§4.2), the
 * rollover counter (§3.3.1) and the replay window (§3.3.2). Built on the JDK's AES and SHA-1 only, with no Camel or
 * Netty type, so that any transport of RTP packets (a UDP producer, an RTSP viewer) protects them the same way.
 *
 * <p>Packets are protected and checked in place, in the caller's buffer, with no allocation per packet: each context
 * keeps its cipher, digest and scratch arrays, and is used by one thread at a time.
 */
package dev.mjpegrtp.srtp;
