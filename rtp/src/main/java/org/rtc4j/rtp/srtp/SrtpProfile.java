package org.rtc4j.rtp.srtp;

/**
 * The SRTP protection profiles WebRTC uses, with their parameters (RFC 3711 section 8.2, RFC 5764 section
 * 4.1.2, RFC 7714 section 14.2).
 */
public enum SrtpProfile {
    /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag on RTP and RTCP. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10, false),
    /** As {@link #AES_CM_128_HMAC_SHA1_80} with a 32-bit RTP tag; SRTCP keeps 80 bits (RFC 5764 4.1.2). */
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10, false),
    /** AES-128-GCM with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16, true),
    /** AES-256-GCM with a 128-bit tag (RFC 7714). */
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16, true);

    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;
    private final boolean aead;

    SrtpProfile(int dtlsId, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength, boolean aead) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
        this.aead = aead;
    }

    /** The DTLS-SRTP protection profile number (the use_srtp extension's value). */
    public int dtlsId() {
        return dtlsId;
    }

    /** Master (and session) encryption key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes: 14 for AES-CM, 12 for GCM. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes an SRTP packet grows by when protected. */
    public int rtpOverhead() {
        return rtpTagLength;
    }

    /** Bytes an SRTCP packet grows by when protected (the tag and the 4-byte E flag and index). */
    public int rtcpOverhead() {
        return rtcpTagLength + 4;
    }

    int rtpTagLength() {
        return rtpTagLength;
    }

    int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** True for the AEAD (GCM) profiles of RFC 7714. */
    public boolean isAead() {
        return aead;
    }

    /** Bytes of keying material DTLS must export for this profile: 2 * (key + salt) (RFC 5764 4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile for a DTLS-SRTP protection profile number, or {@code null} when it is not one of ours. */
    public static SrtpProfile fromDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        return null;
    }
}
