package org.rtc4j.ice;

/** The type of an ICE candidate (RFC 8445 section 5.1.1), with its SDP token and type preference. */
public enum CandidateType {
    HOST("host", 126),
    SERVER_REFLEXIVE("srflx", 100),
    PEER_REFLEXIVE("prflx", 110),
    RELAYED("relay", 0);

    private final String token;
    private final int typePreference;

    CandidateType(String token, int typePreference) {
        this.token = token;
        this.typePreference = typePreference;
    }

    /** The {@code typ} token of RFC 8839 section 5.1 ({@code host}, {@code srflx}, {@code prflx}, {@code relay}). */
    public String token() {
        return token;
    }

    /** The recommended type preference of RFC 8445 section 5.1.2.2 (0..126). */
    public int typePreference() {
        return typePreference;
    }

    /** The type named by an SDP token, or {@code null} when the token names none. */
    public static CandidateType ofToken(String token) {
        for (CandidateType t : values()) {
            if (t.token.equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
