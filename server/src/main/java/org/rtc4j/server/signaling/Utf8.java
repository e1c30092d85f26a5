package org.rtc4j.server.signaling;

/** Message sizes in UTF-8 bytes (the limit counts what the wire carries), without encoding the message. */
final class Utf8 {
    private Utf8() {
    }

    /** The UTF-8 length of {@code s}, or any number above {@code limit} once it is known to be above. */
    static int length(String s, int limit) {
        int n = s.length();
        if (n > limit) {
            return n;
        }
        if ((long) n * 3 <= limit) {
            return n; // even all 3-byte characters would fit
        }
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
