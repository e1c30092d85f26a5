package org.rtc4j.transfer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A rendezvous inside one JVM, for tests: a hub of nameplates, each holding a sender and at most one receiver.
 * Messages pass through {@code relay}, which a hostile-server test uses to rewrite them.
 */
final class LocalRendezvous implements Rendezvous {

    /** The server: nameplates and the rewriting of relayed messages (one direction flag: to the receiver). */
    static final class Hub {
        final Map<Integer, LocalRendezvous[]> rooms = new ConcurrentHashMap<>();
        final Executor delivery = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
        volatile Relay relay = (toReceiver, text, back) -> text;
        int next = 1;

        LocalRendezvous client() {
            return new LocalRendezvous(this);
        }
    }

    /** Rewrites a message on its way; {@code back} sends a message to the end it came from. */
    interface Relay {
        String relay(boolean toReceiver, String text, UnaryOperator<String> back);
    }

    private final Hub hub;
    private Listener listener;
    private int nameplate;
    private boolean sender;

    private LocalRendezvous(Hub hub) {
        this.hub = hub;
    }

    @Override
    public synchronized int claim(Listener l) {
        listener = l;
        sender = true;
        synchronized (hub) {
            nameplate = hub.next++;
        }
        hub.rooms.put(nameplate, new LocalRendezvous[] {this, null});
        return nameplate;
    }

    @Override
    public void join(int n, Listener l) throws TransferException {
        listener = l;
        nameplate = n;
        LocalRendezvous[] room = hub.rooms.get(n);
        if (room == null) {
            throw new TransferException(TransferException.Reason.NO_SENDER, "no sender at " + n);
        }
        synchronized (room) {
            if (room[1] != null) {
                throw new TransferException(TransferException.Reason.NO_SENDER, "room full");
            }
            room[1] = this;
        }
        hub.delivery.execute(() -> room[0].listener.peerArrived());
    }

    @Override
    public void send(String text) {
        LocalRendezvous[] room = hub.rooms.get(nameplate);
        if (room == null) {
            return;
        }
        LocalRendezvous to = sender ? room[1] : room[0];
        if (to == null) {
            return;
        }
        hub.delivery.execute(() -> {
            String out = hub.relay.relay(sender, text, back -> {
                listener.message(back);
                return back;
            });
            if (out != null) {
                to.listener.message(out);
            }
        });
    }

    @Override
    public void close() {
        LocalRendezvous[] room = hub.rooms.get(nameplate);
        if (room == null) {
            return;
        }
        if (sender) {
            hub.rooms.remove(nameplate);
            LocalRendezvous r = room[1];
            if (r != null) {
                hub.delivery.execute(() -> r.listener.peerLeft());
            }
        } else {
            synchronized (room) {
                if (room[1] == this) {
                    room[1] = null;
                    hub.delivery.execute(() -> room[0].listener.peerLeft());
                }
            }
        }
    }
}
