package org.rtc4j.server.signaling;

import java.util.Locale;

/** The {@code code} of an {@code error} message; the wire name is the constant in kebab case. */
public enum ErrorCode {
    /** Not JSON, or JSON nested too deeply. */
    BAD_JSON,
    /** JSON, but not an object with a string {@code type}, or a field of the wrong kind. */
    BAD_MESSAGE,
    /** A {@code type} the server does not know. */
    UNKNOWN_TYPE,
    /** Larger than the message size limit. */
    TOO_LARGE,
    /** Over the message rate limit; the message was dropped. */
    RATE_LIMITED,
    /** The room name is empty, too long or uses other characters than letters, digits, '-', '_', '.'. */
    BAD_ROOM,
    /** The room already holds its capacity of clients. */
    ROOM_FULL,
    /** Creating the room would pass the limit on the number of rooms. */
    TOO_MANY_ROOMS,
    /** The server holds its limit of clients. */
    SERVER_FULL,
    /** A join from a client that is already in a room (leave first). */
    ALREADY_JOINED,
    /** A relay or leave from a client that is in no room. */
    NOT_IN_ROOM,
    /** A relay addressed to a client that is not in the sender's room. */
    UNKNOWN_PEER,
    /** The servers' shared state (Redis) is out of reach, so no server can admit anyone; try again shortly. */
    UNAVAILABLE;

    /** The name on the wire, such as {@code room-full}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
