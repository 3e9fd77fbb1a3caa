package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;

/**
 * Checks and decrypts incoming SRTP packets in place (RFC 3711 §3.3): estimates each packet's index from its sequence
 * number and the stream's rollover counter (§3.3.1, Appendix A), refuses an index the replay window has seen or left
 * behind (§3.3.2), authenticates header, payload and estimated rollover counter against the packet's tag, and only
 * then decrypts and moves the stream's state on. A packet that fails changes nothing.
 *
 * <p>State is kept for the last {@link #STREAMS} SSRCs that sent an authentic packet, so that a restarted sender
 * (a new SSRC, the same key) is followed while a replay of the previous one's packets still meets its window. A new
 * SSRC starts at rollover counter 0, as RFC 3711 has it for a receiver that joins at the start: a receiver that joins
 * a stream after its sequence numbers wrapped fails every packet. Memory is fixed whatever a peer sends; only a
 * holder of the key creates state. One thread at a time; nothing allocated per packet.
 */
public final class SrtpReceiver {

    /** What {@link #unprotectRtp} made of a packet. */
    public enum Verdict {
        /** Authentic and new: decrypted in place, its tag to be ignored. */
        AUTHENTIC,
        /** Too short for an RTP header and a tag: not an SRTP packet. */
        MALFORMED,
        /** The tag does not match: altered or forged. */
        FORGED,
        /** Its index was received before, or is too old for the replay window to tell. */
        REPLAYED
    }

    /** SSRCs whose state is kept. */
    public static final int STREAMS = 4;

    private final SrtpTransform rtp;
    private final Stream[] streams = new Stream[STREAMS];
    /** Counts authentic packets, to find the stream heard from longest ago. */
    private long clock;

    public SrtpReceiver(SrtpMasterKey key) {
        this.rtp = SrtpTransform.rtp(key);
        for (int i = 0; i < STREAMS; i++) {
            streams[i] = new Stream();
        }
    }

    /**
     * Checks the SRTP packet at [offset, offset + length) of {@code packet} (absolute positions: neither its position
     * nor its limit changes) and, when {@link Verdict#AUTHENTIC}, decrypts it in place: the RTP packet is then its first
     * {@code length - }{@link SrtpSender#RTP_OVERHEAD} bytes.
     */
    public Verdict unprotectRtp(ByteBuffer packet, int offset, int length) {
        int protectedLength = length - SrtpSender.RTP_OVERHEAD;
        int headerLength = RtpPackets.headerLength(packet, offset, protectedLength);
        if (headerLength < 0) {
            return Verdict.MALFORMED;
        }
        int ssrc = packet.getInt(offset + 8);
        int sequenceNumber = packet.getShort(offset + 2) & 0xFFFF;
        Stream stream = find(ssrc);
        int rolloverCounter = stream == null ? 0 : stream.estimateRolloverCounter(sequenceNumber);
        long index = (long) rolloverCounter << 16 | sequenceNumber;
        if (stream != null && (rolloverCounter < 0 || !stream.replay.isNew(index))) {
            return Verdict.REPLAYED;
        }
        rtp.authenticate(packet, offset, protectedLength, true, rolloverCounter);
        if (!rtp.tagMatches(packet, offset + protectedLength)) {
            return Verdict.FORGED;
        }
        rtp.crypt(packet, offset + headerLength, protectedLength - headerLength, ssrc, index);
        if (stream == null) {
            stream = leastRecent();
            stream.start(ssrc);
        }
        stream.accepted(index, ++clock);
        return Verdict.AUTHENTIC;
    }

    private Stream find(int ssrc) {
        for (Stream stream : streams) {
            if (stream.active && stream.ssrc == ssrc) {
                return stream;
            }
        }
        return null;
    }

    private Stream leastRecent() {
        Stream oldest = streams[0];
        for (Stream stream : streams) {
            if (!stream.active) {
                return stream;
            }
            if (stream.lastUse < oldest.lastUse) {
                oldest = stream;
            }
        }
        return oldest;
    }

    /** One SSRC's rollover counter, highest sequence number and replay window. */
    private static final class Stream {
        private boolean active;
        private int ssrc;
        private int rolloverCounter;
        /** s_l of RFC 3711: the highest sequence number authenticated. */
        private int highestSequenceNumber;
        private final ReplayWindow replay = new ReplayWindow();
        private long lastUse;

        void start(int ssrc) {
            this.active = true;
            this.ssrc = ssrc;
            this.rolloverCounter = 0;
            this.replay.reset();
            this.highestSequenceNumber = -1;
        }

        /** RFC 3711 Appendix A: the ROC of the index nearest to the highest one seen; -1 before the first wrap. */
        int estimateRolloverCounter(int sequenceNumber) {
            if (highestSequenceNumber < 32768) {
                return sequenceNumber - highestSequenceNumber > 32768 ? rolloverCounter - 1 : rolloverCounter;
            }
            return highestSequenceNumber - 32768 > sequenceNumber ? rolloverCounter + 1 : rolloverCounter;
        }

        void accepted(long index, long now) {
            if (index > replay.highest()) {
                rolloverCounter = (int) (index >>> 16);
                highestSequenceNumber = (int) (index & 0xFFFF);
            }
            replay.accept(index);
            lastUse = now;
        }
    }
}
