package dev.mjpegrtp.camel.rtpmjpeg;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes RTP packets to one destination in runs: where the kernel segments UDP itself (UDP_SEGMENT, Linux 4.18 and
 * later, with epoll), a run of packets all {@code segmentSize} long but possibly a shorter last one goes down as one
 * segmented datagram, which the kernel cuts every {@code segmentSize} bytes into the very datagrams a send per packet
 * would make. One send instead of up to 64 is what makes a frame, and many viewers, cheap: per-packet system and Netty
 * costs were most of the CPU. Devices that cannot offload the checksum refuse segmented sends (EIO); after one such
 * refusal every run is one packet, a datagram each, for good. A refusal is looked for on the first segmented send of
 * each batch (a frame, or a paced part of one): a device refuses all or none, and a promise per send would be an object
 * per send. The failures of the other sends reach the channel's pipeline like any refused datagram.
 *
 * <p>Used on the channel's event loop only. Failed sends reach the channel's pipeline, where a
 * {@link SendErrorCounter} counts them.
 */
public final class DatagramRunWriter implements DatagramWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramRunWriter.class);

    private final Channel channel;
    private final InetSocketAddress destination;
    private final ChannelFutureListener segmentedSendResult = this::segmentedSendResult;
    private boolean segmenting;

    /** @param segmentation whether to send runs longer than one packet; see {@link NettyTransport#supportsSegmentation} */
    public DatagramRunWriter(Channel channel, InetSocketAddress destination, boolean segmentation) {
        this.channel = channel;
        this.destination = destination;
        this.segmenting = segmentation;
    }

    @Override
    public int maxRunPackets(int segmentSize) {
        return segmenting
                ? Math.max(1, Math.min(NettyTransport.MAX_SEGMENTS, NettyTransport.MAX_DATAGRAM_PAYLOAD / segmentSize))
                : 1;
    }

    /** Queues a run on the channel, without flushing. */
    @Override
    public void write(ByteBuf run, int packets, int segmentSize, boolean watch) {
        if (packets == 1) {
            channel.write(new DatagramPacket(run, destination), channel.voidPromise());
        } else if (watch) {
            channel.write(new SegmentedDatagramPacket(run, segmentSize, destination)).addListener(segmentedSendResult);
        } else {
            channel.write(new SegmentedDatagramPacket(run, segmentSize, destination), channel.voidPromise());
        }
    }

    @Override
    public void flush() {
        channel.flush();
    }

    private void segmentedSendResult(ChannelFuture future) {
        if (!future.isSuccess()) {
            channel.pipeline().fireExceptionCaught(future.cause()); // counted like any refused send
            if (segmenting && channel.isOpen() && NettyTransport.refusedSegmentation(future.cause())) {
                segmenting = false;
                LOG.info("Segmented UDP send to {} failed ({}); sending a datagram per packet from now on",
                        destination, future.cause().toString());
            }
        }
    }
}
