package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole session description (RFC 8866): the session-level lines, then the media sections, each kept line
 * by line in order so that {@link #toString()} writes back what was parsed, byte for byte when the input
 * used CRLF. Immutable; made by {@link SdpParser} or {@link SdpBuilder}, and checked by both the same way.
 */
public final class SessionDescription extends SdpSection {

    private final Origin origin;
    private final String sessionName;
    private final List<MediaDescription> media;
    private String text; // written on first use; a racy first write is harmless for an immutable String

    SessionDescription(List<SdpLine> sessionLines, Origin origin, String sessionName, List<MediaDescription> media) {
        super(sessionLines);
        this.origin = origin;
        this.sessionName = sessionName;
        this.media = List.copyOf(media);
    }

    /** Parses with the default limits; see {@link SdpParser#parse(String, SdpLimits)}. */
    public static SessionDescription parse(String text) throws SdpParseException {
        return SdpParser.parse(text, SdpLimits.DEFAULT);
    }

    /** The {@code o=} line. */
    public Origin origin() {
        return origin;
    }

    /** The text of the {@code s=} line. */
    public String sessionName() {
        return sessionName;
    }

    /** The media sections in order. */
    public List<MediaDescription> media() {
        return media;
    }

    /** The media section whose {@code a=mid} is {@code mid}. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The {@code a=group} lines (RFC 5888). */
    public List<Group> groups() {
        return parsedValues("group", Group::parse);
    }

    /** The BUNDLE group that holds {@code mid} (RFC 8843 section 7). */
    public Optional<Group> bundleGroupOf(String mid) {
        for (Group g : groups()) {
            if (g.isBundle() && g.mids().contains(mid)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** {@code a=ice-lite}, a session-level attribute (RFC 8839 section 5.3). */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /** {@code a=extmap-allow-mixed} at session level (RFC 8285 section 6). */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    /**
     * Whether a media section may mix one- and two-byte header extensions: {@code a=extmap-allow-mixed} at
     * session level or in the section (RFC 8285 section 6).
     */
    public boolean extmapAllowMixed(MediaDescription m) {
        return extmapAllowMixed() || m.extmapAllowMixed();
    }

    /**
     * The direction of a media section: its own attribute, else the session's, else sendrecv (RFC 8866
     * section 6.7; Firefox writes {@code a=sendrecv} at session level).
     */
    public Direction directionOf(MediaDescription m) {
        return m.direction().or(this::direction).orElse(Direction.SENDRECV);
    }

    /**
     * The header extensions of a media section: its own {@code a=extmap} lines, then the session-level ones
     * whose id it does not use (RFC 8285 section 7: extmap may sit at either level).
     */
    public List<HeaderExtension> headerExtensions(MediaDescription m) {
        List<HeaderExtension> out = new ArrayList<>(m.headerExtensions());
        for (HeaderExtension e : parsedValues("extmap", HeaderExtension::parse)) {
            if (out.stream().noneMatch(x -> x.id() == e.id())) {
                out.add(e);
            }
        }
        return out;
    }

    /** {@code a=msid-semantic}. */
    public Optional<MsidSemantic> msidSemantic() {
        return attributeValue("msid-semantic").map(v -> valid(() -> MsidSemantic.parse(v)));
    }

    /** Every line of the description in order: the session level, then each media section. */
    public List<SdpLine> allLines() {
        List<SdpLine> out = new ArrayList<>(lines());
        for (MediaDescription m : media) {
            out.addAll(m.lines());
        }
        return out;
    }

    /**
     * A copy with {@code line} appended to the media section at {@code index} (after its last line), e.g. an
     * {@code a=candidate} gathered after the description was made.
     */
    public SessionDescription withMediaLine(int index, SdpLine line) {
        if (index < 0 || index >= media.size()) {
            throw new IndexOutOfBoundsException("no media section " + index + " in " + media.size());
        }
        SdpBuilder b = new SdpBuilder();
        for (SdpLine l : lines()) {
            b.line(l);
        }
        for (int i = 0; i < media.size(); i++) {
            for (SdpLine l : media.get(i).lines()) {
                b.line(l);
            }
            if (i == index) {
                b.line(line);
            }
        }
        return b.build();
    }

    /** The description as SDP text, each line ended by CRLF (RFC 8866 section 5). */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = write();
            text = t;
        }
        return t;
    }

    private String write() {
        StringBuilder sb = new StringBuilder(64 * (lines().size() + 16 * media.size()));
        append(sb, lines());
        for (MediaDescription m : media) {
            append(sb, m.lines());
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, List<SdpLine> lines) {
        for (SdpLine l : lines) {
            sb.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
