package org.rtc4j.ice;

/** The role of a TCP candidate (RFC 6544 section 4.5): it opens connections, accepts them, or both at once. */
public enum TcpType {
    ACTIVE("active"),
    PASSIVE("passive"),
    SIMULTANEOUS_OPEN("so");

    private final String token;

    TcpType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The type named by an SDP token, or {@code null}. */
    public static TcpType ofToken(String token) {
        for (TcpType t : values()) {
            if (t.token.equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
