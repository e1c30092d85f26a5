package org.rtc4j.dtls.internal;

import java.util.BitSet;

/**
 * Holds back the client's ChangeCipherSpec at the server until the handshake messages before it in the
 * client's second flight (Certificate, ClientKeyExchange, CertificateVerify: we always require client
 * authentication, RFC 8827 section 6.5) have all arrived.
 *
 * <p>Why: Bouncy Castle switches its read epoch as soon as a ChangeCipherSpec arrives. If the CCS overtakes
 * a lost message of the same flight (each message travels in its own datagram), the lost message is
 * retransmitted in epoch 0, which Bouncy Castle then discards, and the handshake stalls until it times out.
 * Dropping a CCS that came too early costs nothing: the client retransmits its whole flight, CCS included.
 */
public final class ChangeCipherSpecGate {

    private static final int HEADER = 13;
    private static final int HANDSHAKE_HEADER = 12;
    private static final int CERTIFICATE = 11;
    private static final int CLIENT_KEY_EXCHANGE = 16;
    private static final int CERTIFICATE_VERIFY = 15;
    private static final int[] REQUIRED = {CERTIFICATE, CLIENT_KEY_EXCHANGE, CERTIFICATE_VERIFY};

    private final int maxMessage;
    private final BitSet[] received = new BitSet[REQUIRED.length];
    private final int[] length = {-1, -1, -1};

    public ChangeCipherSpecGate(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /**
     * Notes the handshake fragments of a (filtered, well-formed) datagram and returns how much of it to pass
     * on: all of it, or the part before a ChangeCipherSpec that came too early.
     */
    public int admit(byte[] d, int len) {
        int pos = 0;
        while (pos + HEADER <= len) {
            int type = d[pos] & 0xFF;
            int epoch = ((d[pos + 3] & 0xFF) << 8) | (d[pos + 4] & 0xFF);
            int recordLength = ((d[pos + 11] & 0xFF) << 8) | (d[pos + 12] & 0xFF);
            if (epoch == 0 && type == 22) {
                note(d, pos + HEADER, recordLength);
            } else if (epoch == 0 && type == 20 && !complete()) {
                return pos;
            }
            pos += HEADER + recordLength;
        }
        return len;
    }

    private void note(byte[] d, int from, int recordLength) {
        int pos = from;
        int end = from + recordLength;
        while (pos + HANDSHAKE_HEADER <= end) {
            int msgType = d[pos] & 0xFF;
            int messageLength = u24(d, pos + 1);
            int fragmentOffset = u24(d, pos + 6);
            int fragmentLength = u24(d, pos + 9);
            int slot = slot(msgType);
            if (slot >= 0 && messageLength <= maxMessage && fragmentOffset + fragmentLength <= messageLength) {
                if (length[slot] != messageLength) {
                    length[slot] = messageLength;
                    received[slot] = new BitSet(messageLength);
                }
                received[slot].set(fragmentOffset, fragmentOffset + fragmentLength);
            }
            pos += HANDSHAKE_HEADER + fragmentLength;
        }
    }

    private boolean complete() {
        for (int i = 0; i < REQUIRED.length; i++) {
            if (length[i] < 0 || received[i].cardinality() < length[i]) {
                return false;
            }
        }
        return true;
    }

    private static int slot(int msgType) {
        for (int i = 0; i < REQUIRED.length; i++) {
            if (REQUIRED[i] == msgType) {
                return i;
            }
        }
        return -1;
    }

    private static int u24(byte[] d, int at) {
        return ((d[at] & 0xFF) << 16) | ((d[at + 1] & 0xFF) << 8) | (d[at + 2] & 0xFF);
    }
}
