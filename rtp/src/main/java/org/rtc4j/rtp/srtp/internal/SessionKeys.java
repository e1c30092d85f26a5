package org.rtc4j.rtp.srtp.internal;

/** The session keys of one of SRTP or SRTCP: encryption key, salt and (AES-CM only) authentication key. */
public record SessionKeys(byte[] encryptionKey, byte[] salt, byte[] authKey) {
}
