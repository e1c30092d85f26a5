package org.rtc4j.dtls.internal.loop;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.2 key schedule with SHA-256 (the PRF of every suite we offer): the extended master secret
 * (RFC 7627 section 4), the key block (RFC 5246 section 6.3), Finished (section 7.4.9) and exporters
 * (RFC 5705 section 4, used by DTLS-SRTP, RFC 5764 section 4.2).
 */
final class KeySchedule {

    private KeySchedule() {
    }

    /** PRF(secret, label, seed) = P_SHA256(secret, label + seed) (RFC 5246 section 5). */
    static byte[] prf(byte[] secret, String label, byte[] seed, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
            byte[] labelSeed = concat(labelBytes, seed);
            byte[] out = new byte[length];
            byte[] a = labelSeed;     // A(0)
            int done = 0;
            while (done < length) {
                a = mac.doFinal(a);   // A(i) = HMAC(secret, A(i-1))
                mac.update(a);
                byte[] block = mac.doFinal(labelSeed);
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** RFC 7627 section 4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash). */
    static byte[] extendedMasterSecret(byte[] preMaster, byte[] sessionHash) {
        return prf(preMaster, "extended master secret", sessionHash, 48);
    }

    /** RFC 5246 section 6.3: the key block, server_random before client_random. */
    static byte[] keyBlock(byte[] master, byte[] clientRandom, byte[] serverRandom, int length) {
        return prf(master, "key expansion", concat(serverRandom, clientRandom), length);
    }

    /** RFC 5246 section 7.4.9: verify_data of the client's or the server's Finished. */
    static byte[] finished(byte[] master, boolean client, byte[] handshakeHash) {
        return prf(master, client ? "client finished" : "server finished", handshakeHash, 12);
    }

    /** RFC 5705 section 4, without a context (as DTLS-SRTP uses it). */
    static byte[] export(byte[] master, String label, byte[] clientRandom, byte[] serverRandom, int length) {
        return prf(master, label, concat(clientRandom, serverRandom), length);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
