/**
 * RFC 2435 (RTP Payload Format for JPEG-compressed Video) in plain Java.
 *
 * <p>Sender side: {@link dev.mjpegrtp.rtp.mjpeg.JpegParser} reads any JFIF/EXIF/AVI1 frame into a
 * {@link dev.mjpegrtp.rtp.mjpeg.JpegFrame}, pointing into the caller's bytes when RFC 2435 can carry them as they are,
 * or re-encoding them losslessly first with the {@link dev.mjpegrtp.jpeg} transcoder; what cannot be carried without
 * loss is rejected with a typed {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Exception}.
 * {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Frame} cuts a frame into payloads that fit an MTU (on restart interval
 * boundaries when it has restart markers) and writes each one, behind an {@link dev.mjpegrtp.rtp.mjpeg.RtpHeader},
 * straight into the caller's send buffer; {@link dev.mjpegrtp.rtp.mjpeg.SessionDescription} writes the SDP.
 *
 * <p>Receiver side: {@link dev.mjpegrtp.rtp.mjpeg.Rfc2435Depacketizer} reassembles RTP packets into complete JFIF images,
 * rebuilding the headers the RFC leaves out with {@link dev.mjpegrtp.jpeg.JpegHeaderWriter} and replacing lost restart
 * intervals of restart-aligned streams with {@code NeutralIntervals}.
 *
 * <p>This package deliberately depends on nothing but the JDK and {@link dev.mjpegrtp.jpeg}: no Camel, no Netty. Its
 * module, rfc2435-codec, has no compile dependency, so the compiler refuses any other import.
 */
package dev.mjpegrtp.rtp.mjpeg;
