package org.rtc4j.transfer;

import java.nio.file.Path;
import org.rtc4j.transfer.internal.ReceiveSession;

/**
 * Receives what a {@link TransferSender} sends, into a directory.
 *
 * <pre>{@code
 * TransferResult r = TransferReceiver.receive(TransferCode.parse("7-pepper-tiger"), Path.of("Downloads"),
 *         new SignalingRendezvous(URI.create("ws://localhost:8080/ws")), TransferOptions.defaults(), listener);
 * }</pre>
 *
 * <p>Nothing is written before the code is proven. Files arrive whole and checked (SHA-256) or not at all; an
 * existing file is never overwritten. Run the same receive again after a break: only the missing chunks come.
 */
public final class TransferReceiver {

    private TransferReceiver() {
    }

    /** Receives into {@code dir} (made if needed, once the code is proven); closes the rendezvous at the end. */
    public static TransferResult receive(TransferCode code, Path dir, Rendezvous rendezvous, TransferOptions options,
                                         TransferListener listener) throws TransferException, InterruptedException {
        try (rendezvous) {
            ReceiveSession[] session = new ReceiveSession[1];
            session[0] = new ReceiveSession(code, dir, rendezvous, options, listener);
            rendezvous.join(code.nameplate(), new Rendezvous.Listener() {
                @Override
                public void peerArrived() {
                }

                @Override
                public void peerLeft() {
                    session[0].abort("the sender left");
                }

                @Override
                public void message(String text) {
                    session[0].deliver(text);
                }
            });
            return session[0].run();
        }
    }
}
