package org.rtc4j.ice.stun.internal;

import java.text.Normalizer;

/**
 * The string preparation that STUN passwords, realms and usernames go through: the OpaqueString profile
 * of PRECIS (RFC 8265 section 4.2), which RFC 8489 requires, and SASLprep (RFC 4013), which RFC 5389 used
 * and which older peers and the RFC 5769 test vectors still follow.
 *
 * <p>Both are checked against the JDK's Unicode tables (general categories), which is close to, but not
 * exactly, the derived property tables of RFC 8264 and the stringprep tables of RFC 3454.
 */
public final class Precis {

    private Precis() {
    }

    /**
     * OpaqueString (RFC 8265 section 4.2): non-ASCII spaces become U+0020, then NFC; the result must be a
     * non-empty string of FreeformClass characters (RFC 8264 section 4.3).
     *
     * @return the prepared string, or {@code null} when the input is not allowed
     */
    public static String opaqueString(String input) {
        if (printableAscii(input)) {
            return input.isEmpty() ? null : input; // ASCII is its own NFC, and all of it is FreeformClass
        }
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            mapped.appendCodePoint(cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR ? ' ' : cp);
        }
        String out = Normalizer.normalize(mapped, Normalizer.Form.NFC);
        if (out.isEmpty()) {
            return null;
        }
        for (int i = 0; i < out.length(); ) {
            int cp = out.codePointAt(i);
            i += Character.charCount(cp);
            if (!isFreeform(cp)) {
                return null;
            }
        }
        return out;
    }

    /**
     * SASLprep (RFC 4013): characters "commonly mapped to nothing" are removed, non-ASCII spaces become
     * U+0020, then NFKC; controls, private use, non-characters, surrogates and the other prohibited
     * characters make the string invalid.
     *
     * @return the prepared string, or {@code null} when it holds a prohibited character
     */
    public static String saslPrep(String input) {
        if (printableAscii(input)) {
            return input; // its own NFKC, nothing mapped or prohibited
        }
        StringBuilder mapped = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (isMappedToNothing(cp)) {
                continue; // RFC 3454 table B.1
            }
            mapped.appendCodePoint(cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR ? ' ' : cp);
        }
        String out = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        for (int i = 0; i < out.length(); ) {
            int cp = out.codePointAt(i);
            i += Character.charCount(cp);
            if (isSaslProhibited(cp)) {
                return null;
            }
        }
        return out;
    }

    /**
     * Whether every character is printable ASCII or the space (U+0020 to U+007E): such a string is unchanged by
     * both preparations, which then need no Unicode normalization (whose first use loads the JDK's normalization
     * data: milliseconds of a TURN server's first authenticated request; issue 23).
     */
    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    // RFC 8264 section 9: FreeformClass allows letters, digits, symbols, punctuation, spaces and the
    // characters with compatibility forms; it disallows controls, default-ignorables, unassigned code points
    // and other non-character classes.
    private static boolean isFreeform(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE -> false;
            default -> !isNonCharacter(cp) && !isDefaultIgnorable(cp);
        };
    }

    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF;
    }

    // RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 of RFC 3454.
    private static boolean isSaslProhibited(int cp) {
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            return true;
        }
        if (cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR) {
            return true;
        }
        int type = Character.getType(cp);
        if (type == Character.PRIVATE_USE || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return true;
        }
        if (isNonCharacter(cp) || (cp >= 0xFFF9 && cp <= 0xFFFD) || (cp >= 0x2FF0 && cp <= 0x2FFB)) {
            return true;
        }
        return cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x206A && cp <= 0x206F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E
                || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063)
                || (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }

    private static boolean isNonCharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static boolean isDefaultIgnorable(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF
                || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }
}
