package org.rtc4j.transfer;

/**
 * How the two ends of a transfer find each other and exchange their session descriptions: a channel between
 * the sender and one receiver at a time, found by the code's nameplate. The server behind it sees the
 * nameplate and the SDP, never the code's words; a server that swaps the DTLS fingerprints in the SDP is
 * caught by the key exchange. {@link SignalingRendezvous} is the one over rtc4j's signaling server.
 */
public interface Rendezvous extends AutoCloseable {

    /** What arrives from the other end; called one at a time, and must not block. */
    interface Listener {
        /** A receiver came (sender side). */
        void peerArrived();

        /** The other end went away. */
        void peerLeft();

        /** A message from the other end. */
        void message(String text);

        /** The rendezvous itself is gone (the server closed or broke the connection). */
        default void lost(String reason) {
            peerLeft();
        }
    }

    /** Sender: takes a free nameplate, waits there for receivers, and returns the nameplate. */
    int claim(Listener listener) throws TransferException;

    /** Receiver: joins the sender waiting at {@code nameplate}; fails with {@code NO_SENDER} if none does. */
    void join(int nameplate, Listener listener) throws TransferException;

    /** Sends a message to the other end. */
    void send(String text);

    /** Leaves: the nameplate is free again. */
    @Override
    void close();
}
