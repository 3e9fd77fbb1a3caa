package dev.mjpegrtp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Follows one viewer's RTP packets and fails at the first one that breaks what a viewer must see: one SSRC, payload
 * type 26, every sequence number one more than the last (mod 2^16), frames starting at fragment offset 0 and ending
 * with the marker bit, one timestamp per frame, each frame's later than the last's (mod 2^32).
 */
public final class RtpFrameChecker {

    private final long ssrc;
    private int expectedSequence;
    private long frameTimestamp;
    private boolean inFrame;
    private boolean started;
    private int frames;
    private int packets;
    private long largestFrameStep;

    /** @param firstSequence the seq RTP-Info announced for the first packet */
    public RtpFrameChecker(long ssrc, int firstSequence) {
        this.ssrc = ssrc;
        this.expectedSequence = firstSequence;
    }

    public void accept(RtpPacket packet) {
        String where = "packet " + packets + " (frame " + frames + ")";
        assertEquals(26, packet.payloadType(), where + " payload type");
        assertEquals(ssrc, packet.ssrc(), where + " SSRC");
        assertEquals(expectedSequence, packet.sequenceNumber(), where + " sequence number");
        expectedSequence = (expectedSequence + 1) & 0xFFFF;
        if (!inFrame) {
            if (packet.fragmentOffset() != 0) {
                fail(where + " starts a frame at fragment offset " + packet.fragmentOffset());
            }
            if (started && ((packet.timestamp() - frameTimestamp) & 0xFFFFFFFFL) == 0
                    || started && ((packet.timestamp() - frameTimestamp) & 0xFFFFFFFFL) > 0x7FFFFFFFL) {
                fail(where + " timestamp " + packet.timestamp() + " is not after the last frame's " + frameTimestamp);
            }
            if (started) {
                largestFrameStep = Math.max(largestFrameStep, (packet.timestamp() - frameTimestamp) & 0xFFFFFFFFL);
            }
            frameTimestamp = packet.timestamp();
            inFrame = true;
            started = true;
        } else {
            assertEquals(frameTimestamp, packet.timestamp(), where + " timestamp within a frame");
            if (packet.fragmentOffset() == 0) {
                fail(where + " restarts a frame before the marker ended the last");
            }
        }
        if (packet.marker()) {
            inFrame = false;
            frames++;
        }
        packets++;
    }

    /** Frames completed so far. */
    public int frames() {
        return frames;
    }

    /** The next sequence number expected. */
    public int nextSequence() {
        return expectedSequence;
    }

    /**
     * The largest timestamp step between consecutive frames: one frame interval when no frame was left out, two or
     * more when one was.
     */
    public long largestFrameStep() {
        return largestFrameStep;
    }

    /** The timestamp of the last frame seen. */
    public long lastTimestamp() {
        return frameTimestamp;
    }
}
