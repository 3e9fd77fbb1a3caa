package dev.mjpegrtp.srtp;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published vectors: RFC 3711 Appendix B.3 (key derivation) and B.2 (AES-CM keystream), RFC 2202 (HMAC-SHA1),
 * and libsrtp's reference packets (srtp_driver's srtp_validate), which pin SRTP and SRTCP end to end with the B.3
 * master key.
 */
class SrtpVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] B3_MASTER_KEY = bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = bytes("0EC675AD498AFEEBB6960B3AABE6");

    static Stream<Arguments> keyDerivation() {
        return Stream.of(
                Arguments.of("B.3 cipher key", SrtpKeyDerivation.RTP_ENCRYPTION, "C61E7A93744F39EE10734AFE3FF7A087"),
                Arguments.of("B.3 cipher salt", SrtpKeyDerivation.RTP_SALT, "30CBBC08863D8C85D49DB34A9AE1"),
                Arguments.of("B.3 auth key, all 94 bytes the appendix lists", SrtpKeyDerivation.RTP_AUTHENTICATION,
                        "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                                + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
                Arguments.of("SRTCP cipher key (label 3)", SrtpKeyDerivation.RTCP_ENCRYPTION,
                        "4C1AA45A81F73D61C800BBB00FBB1EAA"),
                Arguments.of("SRTCP cipher salt (label 5)", SrtpKeyDerivation.RTCP_SALT,
                        "9581C7AD87B3E530BF3E4454A8B3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyDerivation")
    void derivesTheSessionKeysOfAppendixB3(String name, int label, String expected) {
        byte[] derived = SrtpKeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, label, expected.length() / 2);
        assertThat(HEX.formatHex(derived)).isEqualToIgnoringCase(expected);
    }

    static Stream<Arguments> keystream() {
        return Stream.of(
                Arguments.of("counter F0F1..FD0000", 0, "E03EAD0935C95E80E166B16DD92B4EB4"),
                Arguments.of("counter F0F1..FD0001", 1, "D23513162B02D0F72A43A2FE4A5F97AB"),
                Arguments.of("counter F0F1..FD0002", 2, "41E95B3BB0A2E8DD477901E4FCA894C0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keystream")
    void producesTheKeystreamOfAppendixB2(String name, int block, String expected) {
        AesCounterMode aes = new AesCounterMode(bytes("2B7E151628AED2A6ABF7158809CF4F3C"),
                bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        aes.keystream(0, 0, 48);
        byte[] stream = aes.lastKeystream();
        assertThat(HEX.formatHex(stream, block * 16, block * 16 + 16)).isEqualToIgnoringCase(expected);
    }

    static Stream<Arguments> hmac() {
        return Stream.of(
                Arguments.of("RFC 2202 case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", HEX.formatHex("Hi There".getBytes()),
                        "b617318655057264e28bc0b6fb378c8ef146be00"),
                Arguments.of("RFC 2202 case 2", HEX.formatHex("Jefe".getBytes()),
                        HEX.formatHex("what do ya want for nothing?".getBytes()),
                        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
                Arguments.of("RFC 2202 case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dd".repeat(50),
                        "125d7342b9ac11cd91a39af48aa17b4f63f175d3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hmac")
    void computesTheHmacsOfRfc2202(String name, String key, String data, String expected) {
        HmacSha1 mac = new HmacSha1(bytes(key));
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes(data).length + 4).put(2, bytes(data));
        mac.update(direct, 2, bytes(data).length);
        byte[] out = new byte[HmacSha1.LENGTH];
        mac.finish(out);
        assertThat(HEX.formatHex(out)).isEqualTo(expected);
        mac.update(bytes(data), 0, bytes(data).length);
        mac.finish(out);
        assertThat(HEX.formatHex(out)).as("the next message, from an array").isEqualTo(expected);
    }

    static Stream<Arguments> referencePackets() {
        return Stream.of(
                Arguments.of("heap buffer", false),
                Arguments.of("direct buffer", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referencePackets")
    void protectsLibsrtpsReferencePackets(String name, boolean direct) {
        SrtpMasterKey key = SrtpMasterKey.ofInline(java.util.Base64.getEncoder().encodeToString(
                bytes("E1F97A0D3E018BE0D64FA32C06DE41390EC675AD498AFEEBB6960B3AABE6")));
        SrtpSender sender = new SrtpSender(key);
        ByteBuffer rtp = buffer(direct, "800f1234decafbadcafebabe" + "ab".repeat(16), SrtpSender.RTP_OVERHEAD);
        int length = sender.protectRtp(rtp, 3, 28);
        assertThat(length).isEqualTo(38);
        assertThat(hex(rtp, 3, length)).isEqualTo(
                "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");

        ByteBuffer rtcp = buffer(direct, "81c8000bcafebabe" + "ab".repeat(16), SrtpSender.RTCP_OVERHEAD);
        length = sender.protectRtcp(rtcp, 3, 24);
        assertThat(hex(rtcp, 3, length)).isEqualTo(
                "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

        SrtpReceiver receiver = new SrtpReceiver(key);
        ByteBuffer back = buffer(direct, "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb", 0);
        assertThat(receiver.unprotectRtp(back, 3, 38)).isEqualTo(SrtpReceiver.Verdict.AUTHENTIC);
        assertThat(hex(back, 3, 28)).isEqualTo("800f1234decafbadcafebabe" + "ab".repeat(16));
    }

    /** {@code hex} at offset 3 of a buffer with {@code room} more bytes after it. */
    private static ByteBuffer buffer(boolean direct, String hex, int room) {
        byte[] content = bytes(hex);
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(3 + content.length + room)
                : ByteBuffer.allocate(3 + content.length + room);
        return buffer.put(3, content);
    }

    private static String hex(ByteBuffer buffer, int offset, int length) {
        byte[] out = new byte[length];
        buffer.get(offset, out);
        return HEX.formatHex(out);
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }
}
