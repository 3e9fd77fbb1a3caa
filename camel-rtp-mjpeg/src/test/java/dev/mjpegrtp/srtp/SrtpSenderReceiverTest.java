package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrtpSenderReceiverTest {

    private static final int SSRC = 0x1234_5678;
    private final SrtpMasterKey key = SrtpMasterKey.random(new SecureRandom());
    private final Random random = new Random(42);

    @Test
    void keystreamAgreesWithTheJdksCounterModeForAnySsrcIndexAndLength() throws Exception {
        byte[] sessionKey = new byte[16];
        byte[] salt = new byte[14];
        for (int trial = 0; trial < 50; trial++) {
            random.nextBytes(sessionKey);
            random.nextBytes(salt);
            int ssrc = random.nextInt();
            long index = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            int length = 1 + random.nextInt(1500);
            byte[] iv = new byte[16];
            System.arraycopy(salt, 0, iv, 0, 14);
            for (int i = 0; i < 4; i++) {
                iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
            }
            for (int i = 0; i < 6; i++) {
                iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
            }
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new IvParameterSpec(iv));
            byte[] plain = new byte[length];
            random.nextBytes(plain);
            byte[] expected = ctr.doFinal(plain);

            ByteBuffer data = ByteBuffer.allocateDirect(length + 5).put(5, plain);
            new AesCounterMode(sessionKey, salt).apply(data, 5, length, ssrc, index);
            byte[] actual = new byte[length];
            data.get(5, actual);
            assertThat(actual).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void aReceiverDecryptsWhatASenderProtectsAcrossTheSequenceNumberWrap() {
        SrtpSender sender = new SrtpSender(key);
        SrtpReceiver receiver = new SrtpReceiver(key);
        for (int n = 0; n < 200; n++) {
            int sequenceNumber = (65_436 + n) & 0xFFFF; // wraps after 100 packets: the ROC goes to 1
            byte[] plain = packet(sequenceNumber, 20 + random.nextInt(1400));
            ByteBuffer wire = protect(sender, plain);
            assertThat(wire.limit()).isEqualTo(plain.length + SrtpSender.RTP_OVERHEAD);
            assertThat(receiver.unprotectRtp(wire, 0, wire.limit())).as("packet %d", n)
                    .isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
            byte[] decrypted = new byte[plain.length];
            wire.get(0, decrypted);
            assertThat(decrypted).isEqualTo(plain);
        }
    }

    @Test
    void aFlippedBitAnywhereIsForgedAndChangesNothing() {
        SrtpSender sender = new SrtpSender(key);
        SrtpReceiver receiver = new SrtpReceiver(key);
        byte[] plain = packet(7, 300);
        ByteBuffer wire = protect(sender, plain);
        byte[] protectedBytes = new byte[wire.limit()];
        wire.get(0, protectedBytes);
        for (int bit : new int[] {3 * 8 + 1, 20 * 8 + 5, (protectedBytes.length - 1) * 8 + 7,
                (protectedBytes.length - 5) * 8}) {
            ByteBuffer tampered = ByteBuffer.wrap(protectedBytes.clone());
            tampered.put(bit / 8, (byte) (tampered.get(bit / 8) ^ 1 << (bit % 8)));
            assertThat(receiver.unprotectRtp(tampered, 0, tampered.limit())).as("bit %d", bit)
                    .isEqualTo(SrtpReceiver.Verdict.FORGED);
        }
        assertThat(receiver.unprotectRtp(wire, 0, wire.limit())).as("the original after the forgeries")
                .isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
    }

    @Test
    void aReplayIsRefusedAndSoIsAnIndexOlderThanTheWindow() {
        SrtpSender sender = new SrtpSender(key);
        SrtpReceiver receiver = new SrtpReceiver(key);
        byte[][] wire = new byte[100][];
        for (int n = 0; n < 100; n++) {
            ByteBuffer protectedPacket = protect(sender, packet(1000 + n, 50));
            wire[n] = new byte[protectedPacket.limit()];
            protectedPacket.get(0, wire[n]);
        }
        assertThat(unprotect(receiver, wire[99])).isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
        assertThat(unprotect(receiver, wire[99])).as("the same packet again").isEqualTo(SrtpReceiver.Verdict.REPLAYED);
        assertThat(unprotect(receiver, wire[50])).as("late, within the window").isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
        assertThat(unprotect(receiver, wire[50])).isEqualTo(SrtpReceiver.Verdict.REPLAYED);
        assertThat(unprotect(receiver, wire[99 - ReplayWindow.SIZE]))
                .as("older than the window").isEqualTo(SrtpReceiver.Verdict.REPLAYED);
    }

    @Test
    void aWrongKeyOrAShortPacketIsRefused() {
        ByteBuffer wire = protect(new SrtpSender(key), packet(1, 100));
        SrtpReceiver stranger = new SrtpReceiver(SrtpMasterKey.random(new SecureRandom()));
        assertThat(stranger.unprotectRtp(wire, 0, wire.limit())).isEqualTo(SrtpReceiver.Verdict.FORGED);
        assertThat(stranger.unprotectRtp(wire, 0, 21)).isEqualTo(SrtpReceiver.Verdict.MALFORMED);
    }

    @Test
    void aRestartedSenderIsFollowedWhileTheOldStreamsReplaysStayRefused() {
        SrtpReceiver receiver = new SrtpReceiver(key);
        byte[] old = bytes(protect(new SrtpSender(key), packet(5, 40)));
        assertThat(unprotect(receiver, old)).isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
        for (int restart = 1; restart < SrtpReceiver.STREAMS; restart++) {
            byte[] next = bytes(protect(new SrtpSender(key), packet(5, 40, SSRC + restart)));
            assertThat(unprotect(receiver, next)).isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
        }
        assertThat(unprotect(receiver, old)).isEqualTo(SrtpReceiver.Verdict.REPLAYED);
    }

    @Test
    void aKeyIsFortyBase64CharactersAndNeverPrinted() {
        String inline = key.inline();
        assertThat(inline).hasSize(SrtpMasterKey.INLINE_LENGTH);
        assertThat(SrtpMasterKey.ofInline(inline).inline()).isEqualTo(inline);
        assertThat(SrtpMasterKey.ofInline("AAAA+/" + inline.substring(6)).inline())
                .as("a '+' that a URI query made a space").isEqualTo(SrtpMasterKey.ofInline("AAAA /" + inline.substring(6)).inline());
        assertThat(key.toString()).doesNotContain(inline).contains(SrtpMasterKey.SUITE);
        assertThat(key.sdpCryptoAttribute()).isEqualTo("crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + inline);
        assertThatThrownBy(() -> SrtpMasterKey.ofInline(inline.substring(1)))
                .hasMessageContaining("40 base64 characters").hasMessageNotContaining(inline.substring(1));
        assertThatThrownBy(() -> SrtpMasterKey.ofInline("!" + inline.substring(1)))
                .hasMessageContaining("base64").hasMessageNotContaining(inline.substring(1));
    }

    private byte[] packet(int sequenceNumber, int length) {
        return packet(sequenceNumber, length, SSRC);
    }

    private byte[] packet(int sequenceNumber, int length, int ssrc) {
        byte[] packet = new byte[length];
        random.nextBytes(packet);
        ByteBuffer header = ByteBuffer.wrap(packet);
        header.put(0, (byte) 0x80).put(1, (byte) 26).putShort(2, (short) sequenceNumber).putInt(8, ssrc);
        return packet;
    }

    private static ByteBuffer protect(SrtpSender sender, byte[] plain) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(plain.length + SrtpSender.RTP_OVERHEAD).put(0, plain);
        buffer.limit(sender.protectRtp(buffer, 0, plain.length));
        return buffer;
    }

    private static SrtpReceiver.Verdict unprotect(SrtpReceiver receiver, byte[] wire) {
        return receiver.unprotectRtp(ByteBuffer.wrap(wire.clone()), 0, wire.length);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.limit()];
        buffer.get(0, out);
        return out;
    }
}
