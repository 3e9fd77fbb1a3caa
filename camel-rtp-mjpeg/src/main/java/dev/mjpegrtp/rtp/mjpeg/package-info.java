/**
 * RFC 2435 (RTP Payload Format for JPEG-compressed Video) in plain Java.
 *
 * <p>Sender side: {@link dev.mjpegrtp.rtp.mjpeg.JpegParser} reads a baseline JFIF frame into a
 * {@link dev.mjpegrtp.rtp.mjpeg.JpegFrame}; {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame} cuts it into payloads that fit an
 * MTU and writes each one, behind an {@link dev.mjpegrtp.rtp.mjpeg.RtpHeader}, straight into the caller's send buffer.
 *
 * <p>Receiver side: {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer} reassembles RTP packets into complete JFIF images,
 * rebuilding the headers the RFC leaves out with {@link dev.mjpegrtp.rtp.mjpeg.JpegHeaderWriter}.
 *
 * <p>This package deliberately depends on nothing but the JDK: no Camel, no Netty.
 */
package dev.mjpegrtp.rtp.mjpeg;
