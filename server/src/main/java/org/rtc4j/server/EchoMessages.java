package org.rtc4j.server;

import java.nio.charset.StandardCharsets;

/** The 200 messages of the echo scenario (issue 9, exact): sizes, text or binary, and their bytes. */
final class EchoMessages {

    static final int COUNT = 200;
    static final int[] SIZES = {1, 2, 3, 7, 16, 100, 255, 256, 1000, 1199, 1200, 1201, 4096, 8191, 16384, 16385,
        32768, 50000, 65535, 65536};
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private EchoMessages() {
    }

    static boolean isText(int i) {
        return i % 3 == 0;
    }

    /** Message i: text is "<i>:" and the alphabet repeated, cut to size; binary byte k is (7i + k) & 0xff. */
    static byte[] bytes(int i) {
        int size = SIZES[i % SIZES.length];
        byte[] b = new byte[size];
        if (isText(i)) {
            byte[] prefix = (i + ":").getBytes(StandardCharsets.US_ASCII);
            for (int k = 0; k < size; k++) {
                b[k] = k < prefix.length ? prefix[k] : (byte) ALPHABET.charAt((k - prefix.length) % ALPHABET.length());
            }
        } else {
            for (int k = 0; k < size; k++) {
                b[k] = (byte) ((7 * i + k) & 0xff);
            }
        }
        return b;
    }
}
