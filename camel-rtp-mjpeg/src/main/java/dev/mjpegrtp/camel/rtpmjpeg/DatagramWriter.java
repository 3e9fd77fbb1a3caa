package dev.mjpegrtp.camel.rtpmjpeg;

import io.netty.buffer.ByteBuf;

/**
 * Puts runs of RTP packets for one destination on a UDP socket: through the channel's event loop
 * ({@link DatagramRunWriter}) or at once from the calling thread ({@link DirectDatagramWriter}). A run is packets all
 * {@code segmentSize} long but possibly a shorter last one, which goes down as one segmented datagram where the kernel
 * segments UDP.
 */
public interface DatagramWriter {

    /** The most packets of {@code segmentSize} bytes one run may carry, 1 while runs are off. */
    int maxRunPackets(int segmentSize);

    /**
     * Writes a run; the writer owns {@code run} from here on.
     *
     * @param run     the packets back to back, each {@code segmentSize} long but possibly the last, which is shorter
     * @param packets how many, at most {@link #maxRunPackets}
     * @param watch   whether a refused segmented send turns segmentation off: the first segmented send of a batch
     */
    void write(ByteBuf run, int packets, int segmentSize, boolean watch);

    /** Sends what {@link #write} left queued, if anything. */
    void flush();
}
