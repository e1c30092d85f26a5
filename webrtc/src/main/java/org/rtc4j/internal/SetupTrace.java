package org.rtc4j.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rtc4j.ice.IceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timeline of one connection's set-up, for finding where its milliseconds go (issue 23): the first time each
 * step happens (descriptions applied, STUN checks and answers, each DTLS handshake message, SCTP's four-way
 * handshake, DCEP), read off the datagrams and records passing through {@link PeerStack} and its events, with the
 * {@code now} the driver passed. Off unless {@code -Drtc4j.trace.setup=true}; then one log line per connection
 * when its first data channel opens (or at close), with absolute microseconds so that two processes' lines can
 * be merged. Datagrams out, the end of DTLS's work on a datagram and the API's calls are marked at the wall clock
 * (when they happen, not when the loop's turn began): the trace is for real runs, not the simulated clock. Nothing
 * here reads a packet past a length it checked.
 */
final class SetupTrace {

    /** Read once: when off, every tap is one test of a constant. */
    static final boolean ENABLED = Boolean.getBoolean("rtc4j.trace.setup");
    private static final Logger LOG = LoggerFactory.getLogger(SetupTrace.class);

    private final Set<String> seen = new HashSet<>();
    /** Steps and their times, formatted only when printed: the trace should not slow what it measures. */
    private final List<String> steps = new ArrayList<>();
    private long[] times = new long[64];
    private long t0 = -1;
    private boolean printed;

    /** Records {@code step} the first time it happens. */
    void mark(String step, Instant now) {
        if (printed || !seen.add(step)) {
            return;
        }
        long us = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        if (t0 < 0) {
            t0 = us;
        }
        if (steps.size() == times.length) {
            times = Arrays.copyOf(times, times.length * 2);
        }
        times[steps.size()] = us;
        steps.add(step);
    }

    /** Logs the timeline once (the first channel open, or close). */
    void print(String why) {
        if (!printed && t0 >= 0) {
            printed = true;
            LOG.info("setup trace ({}) t0_us={} ms:{}", why, t0, timeline());
        }
    }

    /** Each step with its milliseconds since the first, in the order they happened. */
    String timeline() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            line.append(' ').append(steps.get(i)).append('@')
                    .append(String.format(Locale.ROOT, "%.2f", (times[i] - t0) / 1000.0));
        }
        return line.toString();
    }

    /** ICE's steps: gathering, connection states, the selected pair. */
    void ice(IceEvent e, Instant now) {
        switch (e) {
            case IceEvent.GatheringStateChanged g -> mark("gathering-" + g.state(), now);
            case IceEvent.ConnectionStateChanged c -> mark("ice-" + c.state(), now);
            case IceEvent.SelectedPairChanged p -> mark("ice-selected", now);
            default -> { }
        }
    }

    /** A datagram in or out ({@code dir} "in" or "out"): STUN by its type, DTLS by each record's content. */
    void datagram(String dir, ByteBuffer d, Instant now) {
        int p = d.position();
        int n = d.remaining();
        if (n < 1) {
            return;
        }
        int first = d.get(p) & 0xFF;
        if (first < 4 && n >= 2) {
            int type = d.getShort(p) & 0x3FFF;
            mark(dir + ":stun-" + (type == 0x0001 ? "check" : type == 0x0101 ? "ok" : Integer.toHexString(type)), now);
            return;
        }
        for (int at = p; first >= 20 && first <= 63 && at + 13 <= p + n; ) {
            int content = d.get(at) & 0xFF;
            int epoch = d.getShort(at + 3) & 0xFFFF;
            int len = d.getShort(at + 11) & 0xFFFF;
            String what = switch (content) {
                case 20 -> "ccs";
                case 21 -> "alert";
                case 22 -> epoch > 0 || at + 13 >= p + n ? "finished" : handshake(d.get(at + 13) & 0xFF);
                case 23 -> "appdata";
                default -> "record" + content;
            };
            mark(dir + ":dtls-" + what, now);
            at += 13 + len;
        }
    }

    /** A plaintext SCTP packet in or out: its first chunk, and DCEP's messages in DATA or I-DATA. */
    void sctp(String dir, ByteBuffer b, Instant now) {
        int off = b.position();
        int n = b.remaining();
        if (n < 16) {
            return;
        }
        int type = b.get(off + 12) & 0xFF;
        String what = switch (type) {
            case 0, 64 -> {
                int ppidAt = off + 12 + (type == 0 ? 12 : 16);
                int dataAt = off + 12 + (type == 0 ? 16 : 20);
                if (dataAt < off + n && b.getInt(ppidAt) == 50) {
                    int dcep = b.get(dataAt) & 0xFF;
                    yield dcep == 3 ? "dcep-open" : dcep == 2 ? "dcep-ack" : "dcep";
                }
                yield "data";
            }
            case 1 -> "init";
            case 2 -> "init-ack";
            case 3 -> "sack";
            case 10 -> "cookie-echo";
            case 11 -> "cookie-ack";
            default -> "chunk" + type;
        };
        mark(dir + ":sctp-" + what, now);
    }

    private static String handshake(int type) {
        return switch (type) {
            case 1 -> "ClientHello";
            case 2 -> "ServerHello";
            case 3 -> "HelloVerifyRequest";
            case 11 -> "Certificate";
            case 12 -> "ServerKeyExchange";
            case 13 -> "CertificateRequest";
            case 14 -> "ServerHelloDone";
            case 15 -> "CertificateVerify";
            case 16 -> "ClientKeyExchange";
            default -> "hs" + type;
        };
    }
}
