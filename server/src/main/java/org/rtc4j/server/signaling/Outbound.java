package org.rtc4j.server.signaling;

/** Where the hub writes to one client: a WebSocket in the server, a list in tests. Must not block. */
public interface Outbound {

    /** Queues one text message for the client. */
    void send(String text);

    /** Closes the client's connection with a WebSocket close code (RFC 6455 7.4.1) and a reason. */
    void close(int code, String reason);
}
