package org.rtc4j.dtls;

/**
 * The DTLS-SRTP protection profiles we offer in use_srtp (RFC 5764 section 4.1.2, RFC 7714 section 14.2),
 * with the key and salt lengths that size the exported keying material.
 */
public enum DtlsSrtpProfile {
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14),
    SRTP_AES128_CM_HMAC_SHA1_32(0x0002, 16, 14),
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12),
    SRTP_AEAD_AES_256_GCM(0x0008, 32, 12);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    DtlsSrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The two-byte profile number on the wire. */
    public int id() {
        return id;
    }

    /** 2 * (key + salt): what "EXTRACTOR-dtls_srtp" exports for this profile (RFC 5764 section 4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    public static DtlsSrtpProfile fromId(int id) {
        for (DtlsSrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
