package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.util.List;
import org.rtc4j.core.Bytes;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpState;

/**
 * The four-way handshake (RFC 9260 5.1, 5.2): INIT, INIT-ACK with a signed state cookie, COOKIE-ECHO,
 * COOKIE-ACK, with the T1-init timer; INITs that cross, a peer that restarts, and stale cookies. When it
 * completes it sets every other part up with the negotiated tags, TSNs, streams and features.
 */
public final class Handshake {

    private final AssociationState st;
    private final StateCookie cookies;
    private final Sender sender;
    private final Receiver receiver;
    private final StreamReconfig reconfig;
    private final GracefulShutdown shutdown;
    private final PathMtuSearch pmtu;
    private final PacketWriter writer;
    private final Heartbeats heartbeats;
    private byte[] initPacket;
    private byte[] cookieEcho;
    private long t1At = NEVER;
    private int t1Count;

    public Handshake(AssociationState st, Sender sender, Receiver receiver, StreamReconfig reconfig,
                     GracefulShutdown shutdown, PathMtuSearch pmtu, PacketWriter writer, Heartbeats heartbeats) {
        this.st = st;
        this.cookies = new StateCookie(st.random);
        this.sender = sender;
        this.receiver = receiver;
        this.reconfig = reconfig;
        this.shutdown = shutdown;
        this.pmtu = pmtu;
        this.writer = writer;
        this.heartbeats = heartbeats;
    }

    public long timerAt() {
        return t1At;
    }

    public void stop() {
        t1At = NEVER;
    }

    /** Sends INIT (5.1 A). */
    public void connect() {
        st.localTag = st.nonZeroTag();
        st.localInitialTsn = st.random.nextInt();
        Chunk.Init init = ourInit(false, st.localTag, st.localInitialTsn, null);
        initPacket = writer.packet(0, init, true);
        st.raw.add(initPacket);
        st.state = SctpState.COOKIE_WAIT;
        t1Count = 0;
        t1At = st.now + sender.cc.rto();
    }

    /**
     * T1-init expired: INIT or COOKIE-ECHO again, with exponential backoff.
     *
     * @return why the association must close, or null
     */
    public String onT1() {
        t1Count++;
        if (t1Count > st.cfg.maxInitRetransmits()) {
            t1At = NEVER;
            return "no answer to " + (st.state == SctpState.COOKIE_WAIT ? "INIT" : "COOKIE-ECHO");
        }
        long backoff = Math.min(sender.cc.rto() << Math.min(t1Count, 16), st.cfg.rtoMaxMillis() * 1_000_000L);
        t1At = st.now + backoff;
        if (st.state == SctpState.COOKIE_WAIT) {
            st.raw.add(initPacket);
        } else if (st.state == SctpState.COOKIE_ECHOED) {
            st.control.addFirst(new Chunk.CookieEcho(cookieEcho));
        } else {
            t1At = NEVER;
        }
        return null;
    }

    private Chunk.Init ourInit(boolean ack, int tag, int tsn, byte[] cookie) {
        byte[] ext = st.cfg.interleaving()
                ? new byte[] {(byte) ChunkType.RE_CONFIG, (byte) ChunkType.FORWARD_TSN, (byte) ChunkType.I_DATA,
                        (byte) ChunkType.I_FORWARD_TSN}
                : new byte[] {(byte) ChunkType.RE_CONFIG, (byte) ChunkType.FORWARD_TSN};
        return new Chunk.Init(ack, tag, st.cfg.receiveWindow(), st.cfg.outboundStreams(), st.cfg.inboundStreams(),
                tsn, ext, true, st.cfg.zeroChecksum() ? 1 : -1, cookie, List.of());
    }

    private int features(Chunk.Init init) {
        int f = 0;
        if (init.forwardTsn() || init.supports(ChunkType.FORWARD_TSN)) {
            f |= StateCookie.FEATURE_FORWARD_TSN;
        }
        if (init.supports(ChunkType.RE_CONFIG)) {
            f |= StateCookie.FEATURE_RECONFIG;
        }
        if (init.supports(ChunkType.I_DATA) && st.cfg.interleaving()) {
            f |= StateCookie.FEATURE_IDATA;
        }
        if (init.zeroChecksumEdmid() == 1 && st.cfg.zeroChecksum()) {
            f |= StateCookie.FEATURE_ZERO_CHECKSUM;
        }
        return f;
    }

    /** RFC 9260 5.1 B, 5.2.1, 5.2.2. */
    public void onInit(Chunk.Init init) {
        int myTag;
        int myTsn;
        int tieLocal = 0;
        int tiePeer = 0;
        switch (st.state) {
            case CLOSED -> {
                myTag = st.nonZeroTag();
                myTsn = st.random.nextInt();
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> {
                myTag = st.localTag; // 5.2.1: answer with the parameters of our own INIT
                myTsn = st.localInitialTsn;
            }
            case SHUTDOWN_ACK_SENT -> {
                st.control.add(new Chunk.ShutdownAck());
                return;
            }
            default -> {
                myTag = st.nonZeroTag(); // 5.2.2: a possible restart of the peer
                myTsn = st.random.nextInt();
                tieLocal = st.localTag;
                tiePeer = st.peerTag;
            }
        }
        int os = Math.min(st.cfg.outboundStreams(), init.inboundStreams());
        int is = Math.min(st.cfg.inboundStreams(), init.outboundStreams());
        byte[] cookie = cookies.encode(new StateCookie.Fields(st.now, myTag, init.initiateTag(), myTsn,
                init.initialTsn(), init.aRwnd(), os, is, features(init), tieLocal, tiePeer));
        Chunk.Init ack = ourInit(true, myTag, myTsn, cookie);
        if (!init.unrecognized().isEmpty()) {
            ack = new Chunk.Init(true, ack.initiateTag(), ack.aRwnd(), ack.outboundStreams(), ack.inboundStreams(),
                    ack.initialTsn(), ack.supportedExtensions(), ack.forwardTsn(), ack.zeroChecksumEdmid(), cookie,
                    init.unrecognized());
        }
        st.raw.add(writer.packet(init.initiateTag(), ack, true));
    }

    /** RFC 9260 5.1 C. */
    public void onInitAck(Chunk.Init ack) {
        if (st.state != SctpState.COOKIE_WAIT) {
            return; // 5.2.3: unexpected, discard
        }
        setUp(st.localTag, ack.initiateTag(), st.localInitialTsn, ack.initialTsn(), ack.aRwnd(),
                Math.min(st.cfg.outboundStreams(), ack.inboundStreams()),
                Math.min(st.cfg.inboundStreams(), ack.outboundStreams()), features(ack));
        cookieEcho = ack.cookie();
        st.control.addFirst(new Chunk.CookieEcho(cookieEcho));
        st.state = SctpState.COOKIE_ECHOED;
        t1Count = 0;
        t1At = st.now + sender.cc.rto();
    }

    /** RFC 9260 5.1 E. */
    public void onCookieAck() {
        if (st.state == SctpState.COOKIE_ECHOED) {
            established();
            st.peerEstablished = true;
        }
    }

    /** RFC 9260 5.1 D and 5.2.4. */
    public void onCookieEcho(byte[] cookie) {
        StateCookie.Fields f = cookies.decode(cookie);
        int vtag = (int) Bytes.getU32(st.rxBuf, 4);
        if (f == null || vtag != f.localTag()) {
            st.badTags++;
            return;
        }
        if (st.now - f.createdAt() > st.cfg.cookieLifetimeMillis() * 1_000_000L) {
            byte[] staleness = new byte[4];
            Bytes.putU32(staleness, 0, (st.now - f.createdAt()) / 1000);
            st.raw.add(writer.packet(f.peerTag(), new Chunk.Error(List.of(new Chunk.ErrorCause(3, staleness))),
                    true));
            return;
        }
        if (st.state == SctpState.CLOSED) {
            setUp(f);
            st.control.add(new Chunk.CookieAck());
            established();
            return;
        }
        boolean localMatch = f.localTag() == st.localTag;
        boolean peerMatch = f.peerTag() == st.peerTag;
        boolean handshaking = st.state == SctpState.COOKIE_WAIT || st.state == SctpState.COOKIE_ECHOED;
        if (!localMatch && !peerMatch && f.tieLocal() == st.localTag && f.tiePeer() == st.peerTag && st.isOpen()) {
            // Case A: the peer restarted. Everything in flight is gone.
            restart(f);
            st.control.add(new Chunk.CookieAck());
            st.events.add(new SctpEvent.Restarted());
        } else if (localMatch && !peerMatch) {
            // Case B: the INITs crossed; take the peer's tag from the cookie.
            if (handshaking) {
                setUp(f);
            } else {
                st.peerTag = f.peerTag();
            }
            st.control.add(new Chunk.CookieAck());
            if (handshaking) {
                established();
            }
        } else if (localMatch) {
            // Case D: both tags match.
            st.control.add(new Chunk.CookieAck());
            if (handshaking) {
                established();
            }
        }
        // Case C and anything else: silently discarded.
    }

    private void setUp(StateCookie.Fields f) {
        setUp(f.localTag(), f.peerTag(), f.localTsn(), f.peerTsn(), f.peerRwnd(), f.outStreams(), f.inStreams(),
                f.peerFeatures());
    }

    /** Every part starts over with what the handshake negotiated. */
    private void setUp(int myTag, int theirTag, int myTsn, int theirTsn, long theirRwnd, int os, int is,
                       int features) {
        st.localTag = myTag;
        st.peerTag = theirTag;
        st.localInitialTsn = myTsn;
        st.outStreams = os;
        st.inStreams = is;
        st.peerForwardTsn = (features & StateCookie.FEATURE_FORWARD_TSN) != 0;
        st.peerReconfig = (features & StateCookie.FEATURE_RECONFIG) != 0;
        st.interleaved = (features & StateCookie.FEATURE_IDATA) != 0;
        st.sendZeroChecksum = (features & StateCookie.FEATURE_ZERO_CHECKSUM) != 0;
        receiver.reset(theirTsn);
        pmtu.reset();
        sender.reset(myTsn, theirRwnd);
        reconfig.reset(myTsn, theirTsn);
        st.errorCount = 0;
    }

    private void established() {
        st.state = SctpState.ESTABLISHED;
        st.peerEstablished = false;
        t1At = NEVER;
        st.errorCount = 0;
        pmtu.start(st.now);
        heartbeats.start();
        st.events.add(new SctpEvent.Connected(st.outStreams, st.inStreams, st.interleaved));
    }

    /** RFC 9260 5.2.4 A: reset the association to the cookie's values. */
    private void restart(StateCookie.Fields f) {
        sender.dropQueued();
        setUp(f);
        sender.cc.resetRtt();
        st.state = SctpState.ESTABLISHED;
        st.peerEstablished = false;
        pmtu.start(st.now);
        heartbeats.start();
        reconfig.stop();
        shutdown.stop();
    }
}
