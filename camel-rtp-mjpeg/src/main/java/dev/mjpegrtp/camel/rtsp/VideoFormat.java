package dev.mjpegrtp.camel.rtsp;

/**
 * What the SDP announces about a stream beyond RTP/JPEG itself, learnt from the frames the route sends.
 *
 * @param framesPerSecond 0 until two frames have shown the interval
 */
record VideoFormat(int width, int height, double framesPerSecond) {
}
