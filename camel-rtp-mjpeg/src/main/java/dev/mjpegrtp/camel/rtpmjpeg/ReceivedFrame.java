package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;

/** A frame the receive handler completed, with what the exchange headers tell about it. */
record ReceivedFrame(byte[] jpeg, int rtpTimestamp, int ssrc, int width, int height, InetSocketAddress sender,
                     long framesLost, int intervalsConcealed, int firstSequenceNumber, int lastSequenceNumber) {
}
