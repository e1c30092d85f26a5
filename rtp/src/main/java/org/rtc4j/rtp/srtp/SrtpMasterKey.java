package org.rtc4j.rtp.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A master key and master salt for one direction of an SRTP session (RFC 3711 section 3.2.1). DTLS-SRTP
 * gives one to each side: see {@link #fromDtlsKeyingMaterial}.
 */
public final class SrtpMasterKey {

    private final SrtpProfile profile;
    private final byte[] key;
    private final byte[] salt;

    public SrtpMasterKey(SrtpProfile profile, byte[] key, byte[] salt) {
        this.profile = Objects.requireNonNull(profile, "profile");
        if (key.length != profile.keyLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength() + "-byte key, got "
                    + key.length);
        }
        if (salt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.saltLength() + "-byte salt, got "
                    + salt.length);
        }
        this.key = key.clone();
        this.salt = salt.clone();
    }

    /**
     * Splits the keying material exported from DTLS with the label "EXTRACTOR-dtls_srtp" (RFC 5764 section
     * 4.2): client key, server key, client salt, server salt.
     *
     * @param local true for the key this side sends with, false for the key it receives with
     * @param isClient whether this side was the DTLS client
     */
    public static SrtpMasterKey fromDtlsKeyingMaterial(SrtpProfile profile, byte[] material, boolean isClient,
            boolean local) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile + " needs " + profile.keyingMaterialLength()
                    + " bytes of keying material, got " + material.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        boolean clientHalf = isClient == local;
        int keyOffset = clientHalf ? 0 : k;
        int saltOffset = 2 * k + (clientHalf ? 0 : s);
        return new SrtpMasterKey(profile, Arrays.copyOfRange(material, keyOffset, keyOffset + k),
                Arrays.copyOfRange(material, saltOffset, saltOffset + s));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] salt() {
        return salt.clone();
    }

    byte[] keyNoCopy() {
        return key;
    }

    byte[] saltNoCopy() {
        return salt;
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SrtpMasterKey[" + profile + "]";
    }
}
