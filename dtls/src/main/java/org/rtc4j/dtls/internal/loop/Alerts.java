package org.rtc4j.dtls.internal.loop;

/** Alert descriptions by their RFC 5246 section 7.2 names, for failure reasons a person can read. */
final class Alerts {

    private Alerts() {
    }

    static String name(byte description) {
        int d = description & 0xFF;
        String name = switch (d) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 22 -> "record_overflow";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 90 -> "user_canceled";
            case 110 -> "unsupported_extension";
            default -> "alert";
        };
        return name + "(" + d + ")";
    }
}
