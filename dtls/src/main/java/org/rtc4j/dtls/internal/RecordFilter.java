package org.rtc4j.dtls.internal;

/**
 * Checks the DTLS records of a received datagram before Bouncy Castle sees them (RFC 6347 section 4.1.2.7:
 * invalid records are discarded silently). Bouncy Castle fails the whole connection on some malformed records
 * (a ciphertext too short for the cipher, a CBC length that is not a whole number of blocks); forged ones
 * must not be able to do that, so we keep only the records before the first malformed one.
 */
public final class RecordFilter {

    /** The DTLS 1.2 record header: type, version, epoch, sequence number, length. */
    public static final int HEADER = 13;
    /** Record content types (RFC 5246 section 6.2.1). */
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    /** 2^14 plaintext plus the most any cipher adds (RFC 6347 section 4.1 via RFC 5246 6.2.3). */
    private static final int MAX_RECORD = (1 << 14) + 2048;
    private static final int HANDSHAKE_HEADER = 12;

    private final int maxHandshakeMessage;
    private volatile int minCiphertext;
    private volatile int blockSize;

    public RecordFilter(int maxHandshakeMessage) {
        this.maxHandshakeMessage = maxHandshakeMessage;
    }

    /** Sets the bounds of the negotiated cipher for records of epoch 1 and later. */
    public void setCipher(int minCiphertext, int blockSize) {
        this.minCiphertext = minCiphertext;
        this.blockSize = blockSize;
    }

    /** The length of the longest prefix of {@code d[0, len)} made of well-formed records (0 when none). */
    public int validPrefix(byte[] d, int len) {
        int pos = 0;
        int min = minCiphertext;
        int block = blockSize;
        while (pos + HEADER <= len) {
            int type = d[pos] & 0xFF;
            if (type < 20 || type > 24 || (d[pos + 1] & 0xFF) != 0xFE) {
                break;
            }
            int epoch = u16(d, pos + 3);
            int length = u16(d, pos + 11);
            if (length > MAX_RECORD || pos + HEADER + length > len) {
                break;
            }
            if (epoch > 0) {
                if (length < min || (block > 0 && length % block != 0)) {
                    break;
                }
            } else if (type == HANDSHAKE && !handshakeFragmentsValid(d, pos + HEADER, length)) {
                break;
            }
            pos += HEADER + length;
        }
        return pos;
    }

    /** Plaintext handshake fragments (RFC 6347 section 4.2.2): every length field consistent and bounded. */
    private boolean handshakeFragmentsValid(byte[] d, int from, int length) {
        int pos = from;
        int end = from + length;
        if (length == 0) {
            return false;
        }
        while (pos < end) {
            if (pos + HANDSHAKE_HEADER > end) {
                return false;
            }
            int messageLength = u24(d, pos + 1);
            int fragmentOffset = u24(d, pos + 6);
            int fragmentLength = u24(d, pos + 9);
            if (messageLength > maxHandshakeMessage || fragmentOffset + fragmentLength > messageLength
                    || pos + HANDSHAKE_HEADER + fragmentLength > end) {
                return false;
            }
            pos += HANDSHAKE_HEADER + fragmentLength;
        }
        return true;
    }

    private static int u16(byte[] d, int at) {
        return ((d[at] & 0xFF) << 8) | (d[at + 1] & 0xFF);
    }

    private static int u24(byte[] d, int at) {
        return ((d[at] & 0xFF) << 16) | ((d[at + 1] & 0xFF) << 8) | (d[at + 2] & 0xFF);
    }
}
