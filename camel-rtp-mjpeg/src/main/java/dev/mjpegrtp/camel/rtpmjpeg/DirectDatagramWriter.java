package dev.mjpegrtp.camel.rtpmjpeg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends runs of RTP packets at once, from the calling thread, through the socket of an epoll datagram channel: an
 * unpaced producer's frame then reaches the kernel on the thread that routes it, with no task for the event loop and
 * no thread to wake (on a busy machine a woken thread waits for a core, milliseconds at times). Runs longer than one packet
 * go down as one send each, which the kernel cuts into the very datagrams a send per packet would make: the socket's
 * UDP_SEGMENT size (Linux 4.18 and later) is set to the run's segment size when it changes, and cleared before a lone
 * packet longer than it. A device that cannot offload the UDP checksum refuses such sends (EIO); after one refusal the
 * option is cleared and every packet goes to the event loop, a datagram each, for good, as a {@link DatagramRunWriter}
 * without segmentation sends them (one sendmmsg a frame; a send per packet from here would cost a copy of the address
 * per packet), and a frame is done when queued. Use it only where the kernel segments UDP ({@link NettyTransport#supportsSegmentation}).
 *
 * <p>The channel's event loop may write on the same socket meanwhile (RTCP, which is shorter than any segment size);
 * the kernel orders the two. Sends are not queued: a send the kernel cannot take now, its buffer full, is lost like any
 * refused datagram. Every refusal reaches the channel's pipeline, where a {@link SendErrorCounter} counts it. Used by
 * one thread at a time.
 */
public final class DirectDatagramWriter implements DatagramWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectDatagramWriter.class);
    /** Linux's IPPROTO_UDP, the level of UDP_SEGMENT. */
    private static final int SOL_UDP = 17;
    /** Linux's UDP_SEGMENT socket option: the size at which the kernel cuts each send into datagrams. */
    private static final int UDP_SEGMENT = 103;
    /** One instance: what fills a socket's buffer would otherwise fill the heap with exceptions. */
    private static final IOException SEND_BUFFER_FULL = new IOException("the socket's send buffer is full");

    private final EpollDatagramChannel channel;
    private final Socket socket;
    private final InetAddress address;
    private final int port;
    /** Where packets go once the kernel refused a segmented send. */
    private final DatagramRunWriter perPacket;
    private boolean segmenting = true;
    /** The socket's UDP_SEGMENT size; 0 while unset. */
    private int socketSegmentSize;

    public DirectDatagramWriter(EpollDatagramChannel channel, InetSocketAddress destination) {
        this.channel = channel;
        this.socket = (Socket) channel.fd();
        this.address = destination.getAddress();
        this.port = destination.getPort();
        this.perPacket = new DatagramRunWriter(channel, destination, false);
    }

    @Override
    public int maxRunPackets(int segmentSize) {
        return segmenting
                ? Math.max(1, Math.min(NettyTransport.MAX_SEGMENTS, NettyTransport.MAX_DATAGRAM_PAYLOAD / segmentSize))
                : 1;
    }

    /**
     * Sends the run now, or after a refused segmented send queues it on the event loop; every send's result is at
     * hand, so each refusal is looked at, {@code watch} or not.
     */
    @Override
    public void write(ByteBuf run, int packets, int segmentSize, boolean watch) {
        if (!segmenting) {
            perPacket.write(run, packets, segmentSize, watch);
            return;
        }
        try {
            if (!channel.isOpen()) {
                return; // closed: its descriptor may be another file's by now
            }
            segmentAt(packets > 1 ? segmentSize : unsegmented(run.readableBytes()));
            int sent = run.hasMemoryAddress()
                    ? socket.sendToAddress(run.memoryAddress(), run.readerIndex(), run.writerIndex(), address, port)
                    : sendCopy(run);
            if (sent == 0) {
                channel.pipeline().fireExceptionCaught(SEND_BUFFER_FULL);
            }
        } catch (IOException e) {
            refused(e);
        } finally {
            run.release();
        }
    }

    /** Nothing waits while segmenting: every run went down when written. */
    @Override
    public void flush() {
        if (!segmenting) {
            perPacket.flush();
        }
    }

    /** The UDP_SEGMENT size a lone datagram of {@code length} bytes leaves whole: the current one if not longer. */
    private int unsegmented(int length) {
        return length <= socketSegmentSize ? socketSegmentSize : 0;
    }

    private void segmentAt(int size) throws IOException {
        if (size != socketSegmentSize) {
            socket.setIntOpt(SOL_UDP, UDP_SEGMENT, size);
            socketSegmentSize = size;
        }
    }

    /** A run without a memory address (a composite of several buffers) goes down from one direct copy. */
    private int sendCopy(ByteBuf run) throws IOException {
        ByteBuf copy = channel.alloc().directBuffer(run.readableBytes()).writeBytes(run, run.readerIndex(),
                run.readableBytes());
        try {
            ByteBuffer bytes = copy.internalNioBuffer(0, copy.readableBytes());
            return socket.sendTo(bytes, bytes.position(), bytes.limit(), address, port);
        } finally {
            copy.release();
        }
    }

    private void refused(IOException cause) {
        channel.pipeline().fireExceptionCaught(cause); // counted like any refused send
        if (NettyTransport.refusedSegmentation(cause)) {
            segmenting = false;
            try {
                segmentAt(0);
            } catch (IOException e) {
                channel.pipeline().fireExceptionCaught(e);
            }
            LOG.info("Segmented UDP send to {}:{} failed ({}); sending a datagram per packet from now on",
                    address.getHostAddress(), port, cause.toString());
        }
    }
}
