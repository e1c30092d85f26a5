package org.rtc4j.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code a=setup} (RFC 4145 section 4, for DTLS RFC 8842 section 5): which side opens the connection, and so
 * which side is the DTLS client.
 */
public enum Setup {
    /** Will open the connection: the DTLS client. */
    ACTIVE("active"),
    /** Will accept the connection: the DTLS server. */
    PASSIVE("passive"),
    /** Either; only an offer may say this (RFC 8842 section 5.2). */
    ACTPASS("actpass"),
    /** Neither, for now. */
    HOLDCONN("holdconn");

    private final String sdp;

    Setup(String sdp) {
        this.sdp = sdp;
    }

    /** Parses the value of {@code a=setup}; case does not matter. */
    public static Setup parse(String value) throws SdpParseException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "actpass" -> ACTPASS;
            case "holdconn" -> HOLDCONN;
            default -> throw new SdpParseException(0, "a=setup must be active, passive, actpass or holdconn, not " + value);
        };
    }

    /** The attribute value. */
    public String sdpValue() {
        return sdp;
    }

    /**
     * What an answerer writes for this offered value: an offer of actpass or passive is answered with active
     * (RFC 9429 section 5.3.1 recommends active, so the answerer starts the handshake at once), active with
     * passive. Holdconn cannot be answered with a connection.
     *
     * @throws IllegalStateException for {@code HOLDCONN}
     */
    public Setup answer() {
        return switch (this) {
            case ACTPASS, PASSIVE -> ACTIVE;
            case ACTIVE -> PASSIVE;
            case HOLDCONN -> throw new IllegalStateException("an offer with a=setup:holdconn cannot be answered with a DTLS connection");
        };
    }

    /**
     * The DTLS role of the endpoint that wrote this value in an answer (RFC 8842 section 5.3): active is the
     * client, passive the server; empty for actpass and holdconn, which an answer may not carry.
     */
    public Optional<DtlsRole> answererRole() {
        return switch (this) {
            case ACTIVE -> Optional.of(DtlsRole.CLIENT);
            case PASSIVE -> Optional.of(DtlsRole.SERVER);
            default -> Optional.empty();
        };
    }

    /**
     * The DTLS role of the local endpoint once the answer's {@code a=setup} is known: the answerer takes the
     * role its value names, the offerer the other one (RFC 8842 sections 5.2 and 5.3). Empty when the answer
     * says actpass or holdconn.
     *
     * @param answerSetup the {@code a=setup} of the answer (ours when we answer, the peer's when we offered)
     * @param localIsOfferer whether the local endpoint made the offer
     */
    public static Optional<DtlsRole> localRole(Setup answerSetup, boolean localIsOfferer) {
        return answerSetup.answererRole().map(r -> localIsOfferer ? r.opposite() : r);
    }
}
