package org.rtc4j.ice;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * An ICE candidate as SDP carries it: the {@code a=candidate} line of RFC 8839 section 5.1 (with RFC 6544's
 * {@code tcptype}). Immutable. Extensions this code does not interpret ({@code generation}, {@code ufrag},
 * {@code network-id}, ...) are kept in order and written back.
 *
 * <p>The connection address is an IP literal or, as browsers send to hide local addresses, an mDNS host
 * name ending in {@code .local}: such a candidate has no {@link #ip()}; the agent asks its driver to resolve
 * the name by multicast DNS and otherwise leaves the address to peer-reflexive discovery.
 */
public final class IceCandidate {

    private final String foundation;
    private final int component;
    private final Transport transport;
    private final long priority;
    private final String address;
    private final InetAddress ip;
    private final int port;
    private final CandidateType type;
    private final String relatedAddress;
    private final int relatedPort;
    private final TcpType tcpType;
    private final List<Map.Entry<String, String>> extensions;

    private IceCandidate(String foundation, int component, Transport transport, long priority, String address,
            InetAddress ip, int port, CandidateType type, String relatedAddress, int relatedPort, TcpType tcpType,
            List<Map.Entry<String, String>> extensions) {
        this.foundation = foundation;
        this.component = component;
        this.transport = transport;
        this.priority = priority;
        this.address = address;
        this.ip = ip;
        this.port = port;
        this.type = type;
        this.relatedAddress = relatedAddress;
        this.relatedPort = relatedPort;
        this.tcpType = tcpType;
        this.extensions = extensions;
    }

    /** A candidate on an IP address (no related address, no extensions). */
    public static IceCandidate of(String foundation, int component, long priority, TransportAddress address,
            CandidateType type, TransportAddress related) {
        checkFoundation(foundation);
        checkComponent(component);
        checkPriority(priority);
        Objects.requireNonNull(type, "type");
        return new IceCandidate(foundation, component, address.transport(), priority, address.ip().getHostAddress(),
                address.ip(), address.port(), type, related == null ? null : related.ip().getHostAddress(),
                related == null ? -1 : related.port(), address.transport() == Transport.TCP ? TcpType.PASSIVE : null,
                List.of());
    }

    /**
     * Parses a candidate line: {@code candidate:...} as in RFC 8839 section 5.1, with or without a leading
     * {@code a=} and trailing line break.
     *
     * @throws IllegalArgumentException with the reason when the line is not a candidate this code can use
     *     (a malformed line given by the user, or an unknown transport)
     */
    public static IceCandidate parse(String line) {
        Objects.requireNonNull(line, "line");
        String s = line.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (!s.regionMatches(true, 0, "candidate:", 0, 10)) {
            throw new IllegalArgumentException("a candidate line starts with 'candidate:': '" + line + "'");
        }
        if (s.length() > 1024) {
            throw new IllegalArgumentException("candidate line longer than 1024 characters");
        }
        String[] f = s.substring(10).split(" ", -1);
        if (f.length < 8) {
            throw new IllegalArgumentException("a candidate has at least 8 fields, got " + f.length + ": '"
                    + line + "'");
        }
        checkFoundation(f[0]);
        int component = parseNumber(f[1], 3, "component");
        checkComponent(component);
        Transport transport = switch (f[2].toLowerCase(Locale.ROOT)) {
            case "udp" -> Transport.UDP;
            case "tcp" -> Transport.TCP;
            default -> throw new IllegalArgumentException("unsupported candidate transport '" + f[2] + "'");
        };
        long priority = parseNumber(f[3], 10, "priority");
        checkPriority(priority);
        String address = f[4];
        InetAddress ip = addressOf(address);
        int port = parseNumber(f[5], 5, "port");
        checkPort(port);
        if (!f[6].equals("typ")) {
            throw new IllegalArgumentException("expected 'typ' as the 7th field, got '" + f[6] + "'");
        }
        CandidateType type = CandidateType.ofToken(f[7]);
        if (type == null) {
            throw new IllegalArgumentException("unknown candidate type '" + f[7] + "'");
        }
        String relatedAddress = null;
        int relatedPort = -1;
        TcpType tcpType = null;
        List<Map.Entry<String, String>> extensions = new ArrayList<>();
        int i = 8;
        if (i + 1 < f.length && f[i].equals("raddr")) {
            relatedAddress = f[i + 1];
            addressOf(relatedAddress);
            i += 2;
        }
        if (i + 1 < f.length && f[i].equals("rport")) {
            relatedPort = parseNumber(f[i + 1], 5, "rport");
            checkPort(relatedPort);
            i += 2;
        }
        while (i < f.length) {
            if (i + 1 >= f.length) {
                throw new IllegalArgumentException("extension '" + f[i] + "' without a value");
            }
            String name = f[i];
            String value = f[i + 1];
            if (name.isEmpty() || value.isEmpty() || !isToken(name) || !isByteString(value)) {
                throw new IllegalArgumentException("malformed extension '" + name + " " + value + "'");
            }
            if (name.equals("tcptype")) {
                tcpType = TcpType.ofToken(value);
                if (tcpType == null) {
                    throw new IllegalArgumentException("unknown tcptype '" + value + "'");
                }
            } else {
                if (extensions.size() >= 32) {
                    throw new IllegalArgumentException("more than 32 extensions");
                }
                extensions.add(Map.entry(name, value));
            }
            i += 2;
        }
        if (transport == Transport.TCP && tcpType == null) {
            tcpType = TcpType.PASSIVE; // RFC 6544 section 4.5 makes it mandatory; be lenient as browsers are
        }
        return new IceCandidate(f[0], component, transport, priority, address, ip, port, type, relatedAddress,
                relatedPort, transport == Transport.TCP ? tcpType : null, Collections.unmodifiableList(extensions));
    }

    /** A copy with an extension added or replaced (for example {@code ufrag}, which browsers expect). */
    public IceCandidate withExtension(String name, String value) {
        if (!isToken(name) || value.isEmpty() || !isByteString(value) || name.equals("tcptype")) {
            throw new IllegalArgumentException("bad extension '" + name + " " + value + "'");
        }
        List<Map.Entry<String, String>> copy = new ArrayList<>(extensions);
        copy.removeIf(e -> e.getKey().equals(name));
        copy.add(Map.entry(name, value));
        return new IceCandidate(foundation, component, transport, priority, address, ip, port, type, relatedAddress,
                relatedPort, tcpType, Collections.unmodifiableList(copy));
    }

    /** This mDNS candidate with the address its name resolved to (the rest unchanged). */
    IceCandidate resolved(InetAddress resolvedIp) {
        return new IceCandidate(foundation, component, transport, priority, resolvedIp.getHostAddress(), resolvedIp,
                port, type, relatedAddress, relatedPort, tcpType, extensions);
    }

    /** The candidate line without {@code a=}, as the W3C {@code RTCIceCandidate.candidate} holds it. */
    public String toSdp() {
        StringBuilder s = new StringBuilder(96).append("candidate:").append(foundation).append(' ').append(component)
                .append(' ').append(transport.token()).append(' ').append(priority).append(' ').append(address)
                .append(' ').append(port).append(" typ ").append(type.token());
        if (relatedAddress != null) {
            s.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            s.append(" rport ").append(relatedPort);
        }
        if (tcpType != null) {
            s.append(" tcptype ").append(tcpType.token());
        }
        for (Map.Entry<String, String> e : extensions) {
            s.append(' ').append(e.getKey()).append(' ').append(e.getValue());
        }
        return s.toString();
    }

    public String foundation() {
        return foundation;
    }

    public int component() {
        return component;
    }

    public Transport transport() {
        return transport;
    }

    public long priority() {
        return priority;
    }

    /** The connection address as written: an IP literal or a host name. */
    public String address() {
        return address;
    }

    /** The IP address, or {@code null} when the address is a host name (an mDNS {@code .local} name). */
    public InetAddress ip() {
        return ip;
    }

    /** Whether the address is a {@code .local} mDNS name (RFC 8839 section 5.1, draft-ietf-mmusic-mdns-ice). */
    public boolean isMdns() {
        return ip == null && address.toLowerCase(Locale.ROOT).endsWith(".local");
    }

    public int port() {
        return port;
    }

    /** The transport address, or {@code null} when the address is an unresolved host name. */
    public TransportAddress transportAddress() {
        return ip == null ? null : new TransportAddress(transport, ip, port);
    }

    public CandidateType type() {
        return type;
    }

    /** {@code raddr}, or {@code null}. */
    public String relatedAddress() {
        return relatedAddress;
    }

    /** {@code rport}, or -1. */
    public int relatedPort() {
        return relatedPort;
    }

    /** The RFC 6544 TCP type of a TCP candidate, {@code null} for UDP. */
    public TcpType tcpType() {
        return tcpType;
    }

    /** The extensions besides {@code tcptype}, in order. */
    public List<Map.Entry<String, String>> extensions() {
        return extensions;
    }

    /** The value of an extension, or {@code null}. */
    public String extension(String name) {
        for (Map.Entry<String, String> e : extensions) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IceCandidate c && c.toSdp().equals(toSdp());
    }

    @Override
    public int hashCode() {
        return toSdp().hashCode();
    }

    @Override
    public String toString() {
        return toSdp();
    }

    private static InetAddress addressOf(String address) {
        if (address.isEmpty() || address.length() > 253) {
            throw new IllegalArgumentException("bad connection address '" + address + "'");
        }
        boolean literal = address.indexOf(':') >= 0
                || address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (literal) {
            return TransportAddress.parseIp(address);
        }
        // RFC 8839 section 5.1: an FQDN; browsers use mDNS names (a UUID then ".local").
        for (String label : address.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.chars().allMatch(
                    c -> c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                throw new IllegalArgumentException("bad host name '" + address + "'");
            }
        }
        return null;
    }

    private static int parseNumber(String s, int maxDigits, String what) {
        long v = parseLong(s, maxDigits, what);
        return (int) v;
    }

    private static long parseLong(String s, int maxDigits, String what) {
        if (s.isEmpty() || s.length() > maxDigits || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
        return Long.parseLong(s);
    }

    private static void checkFoundation(String foundation) {
        // RFC 8839: 1*32 ice-char, ice-char = ALPHA / DIGIT / "+" / "/".
        if (foundation == null || foundation.isEmpty() || foundation.length() > 32
                || !foundation.chars().allMatch(IceCandidate::isIceChar)) {
            throw new IllegalArgumentException("bad foundation '" + foundation + "'");
        }
    }

    static boolean isIceChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static void checkComponent(int component) {
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component out of 1..256: " + component);
        }
    }

    private static void checkPriority(long priority) {
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority out of 1..2^32-1: " + priority);
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of 0..65535: " + port);
        }
    }

    private static boolean isToken(String s) {
        // RFC 8866 token characters.
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }

    private static boolean isByteString(String s) {
        return s.chars().allMatch(c -> c != 0 && c != '\r' && c != '\n' && c != ' ');
    }
}
