package org.rtc4j.dtls.internal.loop;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM record protection of epoch 1 (RFC 5288 section 3 with DTLS's record sequence, RFC 6347 section
 * 4.1.2.1), on the JDK's AES-GCM (intrinsics; far faster than a Java GCM):
 *
 * <pre>
 *   nonce = salt[4] (from the key block) || explicit[8] (sent: our epoch and sequence number)
 *   additional_data = epoch[2] || seq[6] || type[1] || version[2] || plaintext length[2]
 *   record = header[13] || explicit[8] || ciphertext || tag[16]
 * </pre>
 *
 * Also the replay window of the read side (RFC 6347 section 4.1.2.6).
 */
final class RecordProtection {

    static final int EXPLICIT_NONCE = 8;
    static final int TAG = 16;
    static final int OVERHEAD = EXPLICIT_NONCE + TAG;

    private final SecretKeySpec writeKey;
    private final SecretKeySpec readKey;
    private final byte[] writeNonce = new byte[12];
    private final byte[] readNonce = new byte[12];
    private final byte[] aad = new byte[13];
    private final Cipher encrypt;
    private final Cipher decrypt;
    /** The highest sequence number accepted and a bitmap of the 64 below it. */
    private long maxSeq = -1;
    private long window;

    RecordProtection(byte[] writeKey, byte[] writeSalt, byte[] readKey, byte[] readSalt) {
        this.writeKey = new SecretKeySpec(writeKey, "AES");
        this.readKey = new SecretKeySpec(readKey, "AES");
        System.arraycopy(writeSalt, 0, writeNonce, 0, 4);
        System.arraycopy(readSalt, 0, readNonce, 0, 4);
        try {
            encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Writes a whole record of epoch {@code epoch} and sequence {@code seq} carrying {@code in[off, off+len)}
     * into {@code out} at {@code at}; returns its length (13 + 8 + len + 16).
     */
    int seal(int type, int epoch, long seq, byte[] in, int off, int len, byte[] out, int at) {
        long epochSeq = ((long) epoch << 48) | seq;
        putLong(writeNonce, 4, epochSeq);
        fillAad(epochSeq, type, len);
        int body = EXPLICIT_NONCE + len + TAG;
        out[at] = (byte) type;
        out[at + 1] = (byte) 0xFE;
        out[at + 2] = (byte) 0xFD;
        putLong(out, at + 3, epochSeq);   // epoch[2] || seq[6]
        out[at + 11] = (byte) (body >>> 8);
        out[at + 12] = (byte) body;
        putLong(out, at + 13, epochSeq);  // the explicit nonce
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, writeKey, new GCMParameterSpec(128, writeNonce));
            encrypt.updateAAD(aad);
            encrypt.doFinal(in, off, len, out, at + 13 + EXPLICIT_NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
        return 13 + body;
    }

    /**
     * Decrypts the record whose header is at {@code record}'s position ({@code length} bytes of body after
     * it) into {@code out} (cleared first); returns the plaintext length, or -1 when it does not authenticate
     * or is a replay. The replay window moves only for records that authenticate.
     */
    int open(ByteBuffer record, int type, long epochSeq, int length, ByteBuffer out) {
        long seq = epochSeq & 0xFFFF_FFFF_FFFFL;
        if (length < OVERHEAD || replayed(seq)) {
            return -1;
        }
        int p = record.position() + 13;
        for (int i = 0; i < EXPLICIT_NONCE; i++) {
            readNonce[4 + i] = record.get(p + i);
        }
        int plain = length - OVERHEAD;
        fillAad(epochSeq, type, plain);
        ByteBuffer in = record.duplicate();
        in.position(p + EXPLICIT_NONCE).limit(p + length);
        try {
            decrypt.init(Cipher.DECRYPT_MODE, readKey, new GCMParameterSpec(128, readNonce));
            decrypt.updateAAD(aad);
            int n = decrypt.doFinal(in, out.clear());
            accept(seq);
            return n;
        } catch (AEADBadTagException e) {
            return -1;
        } catch (ShortBufferException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    private boolean replayed(long seq) {
        if (seq > maxSeq) {
            return false;
        }
        long back = maxSeq - seq;
        return back >= 64 || (window & (1L << back)) != 0;
    }

    private void accept(long seq) {
        if (seq > maxSeq) {
            long shift = seq - maxSeq;
            window = shift >= 64 ? 1 : (window << shift) | 1;
            maxSeq = seq;
        } else {
            window |= 1L << (maxSeq - seq);
        }
    }

    private void fillAad(long epochSeq, int type, int plainLength) {
        putLong(aad, 0, epochSeq);
        aad[8] = (byte) type;
        aad[9] = (byte) 0xFE;
        aad[10] = (byte) 0xFD;
        aad[11] = (byte) (plainLength >>> 8);
        aad[12] = (byte) plainLength;
    }

    private static void putLong(byte[] d, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            d[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
