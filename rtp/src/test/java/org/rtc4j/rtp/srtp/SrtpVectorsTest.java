package org.rtc4j.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.core.Bytes.fromHex;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.srtp.internal.KeyDerivation;
import org.rtc4j.rtp.srtp.internal.SessionKeys;

/** The published test vectors, byte for byte: RFC 3711 appendix B and RFC 7714 sections 16 and 17. */
class SrtpVectorsTest {

    private static final byte[] B3_MASTER_KEY = fromHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = fromHex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void rfc3711B3KeyDerivation() {
        assertThat(KeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, KeyDerivation.RTP_ENCRYPTION, 16))
                .isEqualTo(fromHex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(KeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, KeyDerivation.RTP_SALT, 14))
                .isEqualTo(fromHex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(KeyDerivation.derive(B3_MASTER_KEY, B3_MASTER_SALT, KeyDerivation.RTP_AUTH, 94))
                .isEqualTo(fromHex("""
                        CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                        E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                        6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"""));
    }

    @Test
    void rfc3711B2KeyStream() {
        // Session key and salt given directly; SSRC 0, index 0: a zero payload encrypts to the key stream.
        SessionKeys keys = new SessionKeys(fromHex("2B7E151628AED2A6ABF7158809CF4F3C"),
                fromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        SrtpContext context = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, keys, keys, 4);
        int payload = 0xFF02 * 16;
        byte[] packet = new byte[12 + payload + 10];
        packet[0] = (byte) 0x80;
        context.protectRtp(packet, 0, 12 + payload);
        assertThat(Arrays.copyOfRange(packet, 12, 12 + 48)).isEqualTo(fromHex("""
                E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB
                41E95B3BB0A2E8DD477901E4FCA894C0"""));
        assertThat(Arrays.copyOfRange(packet, 12 + 0xFEFF * 16, 12 + 0xFF02 * 16)).isEqualTo(fromHex("""
                EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE
                6A2CC3787889374FBEB4C81B17BA6C44"""));
    }

    @Test
    void aesCmPacketThroughKeyDerivation() {
        // libsrtp's srtp_validate packet: the RFC 3711 B.3 master key, SSRC 0xcafebabe, sequence 0x1234.
        SrtpMasterKey key = new SrtpMasterKey(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        byte[] plain = fromHex("800f1234decafbadcafebabeabababababababababababababababab");
        byte[] sealed = fromHex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        byte[] buf = Arrays.copyOf(plain, 64);
        int n = new SrtpContext(key).protectRtp(buf, 0, plain.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(sealed);

        SrtpContext receiver = new SrtpContext(key);
        n = receiver.unprotectRtp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(plain);

        byte[] rtcpPlain = fromHex("81c8000bcafebabeabababababababababababababababab");
        byte[] rtcpSealed = fromHex("""
                81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798""");
        SrtpContext sender = new SrtpContext(key);
        sender.setNextSrtcpIndex(0xcafebabe, 1);
        buf = Arrays.copyOf(rtcpPlain, 64);
        n = sender.protectRtcp(buf, 0, rtcpPlain.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(rtcpSealed);
        n = receiver.unprotectRtcp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(rtcpPlain);
    }

    private static final byte[] GCM_KEY_128 = fromHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_KEY_256 = fromHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] GCM_SALT = fromHex("517569642070726f2071756f");
    private static final byte[] RTP = fromHex("""
            8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
            69736120 696e2070 61727465 73207472 6573""");
    private static final byte[] RTCP = fromHex("""
            81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef deadbeef""");

    private static SrtpContext gcm(SrtpProfile profile, byte[] key) {
        SessionKeys keys = new SessionKeys(key, GCM_SALT, null);
        return new SrtpContext(profile, keys, keys, 4);
    }

    @Test
    void rfc7714Section16Aes128GcmRtp() {
        byte[] sealed = fromHex("""
                8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
                0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce""");
        roundTripRtp(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128, sealed);
    }

    @Test
    void rfc7714Section16Aes256GcmRtp() {
        byte[] sealed = fromHex("""
                8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238
                9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13""");
        roundTripRtp(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256, sealed);
    }

    private static void roundTripRtp(SrtpProfile profile, byte[] key, byte[] sealed) {
        byte[] buf = Arrays.copyOf(RTP, 128);
        int n = gcm(profile, key).protectRtp(buf, 0, RTP.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(sealed);
        SrtpContext receiver = gcm(profile, key);
        n = receiver.unprotectRtp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(RTP);
        // The same packet again is a replay.
        buf = Arrays.copyOf(sealed, 128);
        assertThat(receiver.unprotectRtp(buf, 0, sealed.length)).isEqualTo(SrtpContext.DROPPED);
        assertThat(receiver.replayCount()).isEqualTo(1);
    }

    @Test
    void rfc7714Section17Aes128GcmRtcp() {
        byte[] sealed = fromHex("""
                81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
                c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872
                45d9eade 800005d4""");
        SrtpContext sender = gcm(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128);
        sender.setNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Arrays.copyOf(RTCP, 128);
        int n = sender.protectRtcp(buf, 0, RTCP.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(sealed);
        n = gcm(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128).unprotectRtcp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(RTCP);
    }

    @Test
    void rfc7714Section17Aes256GcmRtcpDecrypt() {
        byte[] sealed = fromHex("""
                81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50
                a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c
                b26ac3be 800005d4""");
        unprotectRtcp(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256, sealed);
        SrtpContext sender = gcm(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256);
        sender.setNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Arrays.copyOf(RTCP, 128);
        int n = sender.protectRtcp(buf, 0, RTCP.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(sealed);
    }

    @Test
    void rfc7714Section17TagOnlyRtcp() {
        // E flag clear: the packet is authenticated, not encrypted.
        unprotectRtcp(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128, fromHex("""
                81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
                deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790
                125f62b3 000005d4"""));
        unprotectRtcp(SrtpProfile.AEAD_AES_256_GCM, GCM_KEY_256, fromHex("""
                81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
                deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393
                ed2615fe 000005d4"""));
    }

    private static void unprotectRtcp(SrtpProfile profile, byte[] key, byte[] sealed) {
        byte[] buf = sealed.clone();
        SrtpContext receiver = gcm(profile, key);
        int n = receiver.unprotectRtcp(buf, 0, buf.length);
        assertThat(n).isEqualTo(RTCP.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(RTCP);
        // Flip one bit of the authenticated part: dropped.
        buf = sealed.clone();
        buf[9] ^= 1;
        assertThat(gcm(profile, key).unprotectRtcp(buf, 0, buf.length)).isEqualTo(SrtpContext.DROPPED);
    }
}
