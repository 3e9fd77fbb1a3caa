package dev.mjpegrtp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mjpegrtp.rtp.mjpeg.RtpHeader;

/**
 * A real RTP receiver on each camera's port: for every port, the streams (SSRCs) that arrived, in order, with their
 * first and last packet, frame count and sender address; the gap of every change of stream; and every packet of an
 * earlier stream that arrives after a later one started (two senders at once).
 */
final class CameraStreamLog extends Thread implements AutoCloseable {

    /** One sender's stream on a port. */
    record Stream(int ssrc, SocketAddress sender, long firstNanos, long lastNanos, int frames) {
    }

    /** A change of stream on a port: the previous stream's last packet and the next one's first. */
    record Change(int port, long previousLastNanos, long nextFirstNanos) {
        double gapSeconds() {
            return (nextFirstNanos - previousLastNanos) / 1e9;
        }
    }

    private final Selector selector;
    private final List<Integer> ports;
    private final Map<Integer, List<Stream>> streams = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<Integer, Integer> overlaps = new HashMap<>();
    private volatile boolean running = true;

    CameraStreamLog(List<Integer> ports) throws IOException {
        super("camera-stream-log");
        this.ports = List.copyOf(ports);
        selector = Selector.open();
        for (int port : ports) {
            DatagramChannel channel = DatagramChannel.open();
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, port);
            streams.put(port, new ArrayList<>());
            overlaps.put(port, 0);
        }
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        RtpHeader header = new RtpHeader();
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    SocketAddress sender;
                    while ((sender = channel.receive(buffer.clear())) != null) {
                        buffer.flip();
                        if (buffer.remaining() >= RtpHeader.LENGTH) {
                            header.read(buffer);
                            packet((Integer) key.attachment(), header.ssrc(), header.marker(), sender, System.nanoTime());
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException("receiver failed", e);
        }
    }

    private synchronized void packet(int port, int ssrc, boolean marker, SocketAddress sender, long now) {
        List<Stream> list = streams.get(port);
        int index = -1;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).ssrc() == ssrc) {
                index = i;
            }
        }
        if (index < 0) {
            if (!list.isEmpty()) {
                changes.add(new Change(port, list.get(list.size() - 1).lastNanos(), now));
            }
            list.add(new Stream(ssrc, sender, now, now, marker ? 1 : 0));
            return;
        }
        if (index < list.size() - 1) {
            overlaps.merge(port, 1, Integer::sum); // an earlier sender still sends after a later one started
        }
        Stream s = list.get(index);
        list.set(index, new Stream(ssrc, s.sender(), s.firstNanos(), now, s.frames() + (marker ? 1 : 0)));
    }

    List<Integer> ports() {
        return ports;
    }

    /** The latest stream of each port that sent within the last {@code windowMillis}; absent ports are silent. */
    synchronized Map<Integer, Stream> live(long windowMillis) {
        long now = System.nanoTime();
        Map<Integer, Stream> live = new HashMap<>();
        streams.forEach((port, list) -> {
            if (!list.isEmpty() && now - list.get(list.size() - 1).lastNanos() < windowMillis * 1_000_000) {
                live.put(port, list.get(list.size() - 1));
            }
        });
        return live;
    }

    synchronized List<Stream> streams(int port) {
        return List.copyOf(streams.get(port));
    }

    synchronized List<Change> changesSince(long nanos) {
        return changes.stream().filter(c -> c.nextFirstNanos() >= nanos).toList();
    }

    /** Packets of an earlier stream that arrived after a later stream on the same port started, over all ports. */
    synchronized int overlaps() {
        return overlaps.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() throws Exception {
        running = false;
        join();
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
