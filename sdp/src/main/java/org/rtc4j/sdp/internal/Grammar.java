package org.rtc4j.sdp.internal;

import java.util.ArrayList;
import java.util.List;

/** Character classes and splitting shared by the SDP grammars (RFC 8866 section 9, RFC 8839 section 5). */
public final class Grammar {

    private Grammar() {
    }

    /** RFC 8866 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E. */
    public static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    /** A non-empty run of token-chars. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A non-empty run of ASCII digits. */
    public static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8839 section 5.4 ice-char: ALPHA / DIGIT / "+" / "/". */
    public static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Decimal digits as a long, saturating at {@link Long#MAX_VALUE}; the caller has checked {@link #isDigits}. */
    public static long saturatingLong(String digits) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /**
     * Splits at single spaces; returns {@code null} when a field would be empty (two spaces in a row, a
     * leading or trailing space), which the SDP grammars do not allow.
     */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int sp = s.indexOf(' ', start);
            int end = sp < 0 ? s.length() : sp;
            if (end == start) {
                return null;
            }
            out.add(s.substring(start, end));
            if (sp < 0) {
                return out;
            }
            start = sp + 1;
        }
    }
}
