package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the session level and a media section have in common: their lines in order, the attributes among
 * them, and typed reads of the attributes that may sit at either level. Values are checked when the
 * description is parsed or built, so these reads do not fail.
 */
public abstract sealed class SdpSection permits SessionDescription, MediaDescription {

    private final List<SdpLine> lines;
    private final List<Attribute> attributes;

    SdpSection(List<SdpLine> lines) {
        this.lines = List.copyOf(lines);
        List<Attribute> attrs = new ArrayList<>();
        for (SdpLine l : this.lines) {
            if (l.isAttribute()) {
                attrs.add(Attribute.parse(l.value()));
            }
        }
        this.attributes = List.copyOf(attrs);
    }

    /** The lines of this section in order, as written (for a media section, the {@code m=} line first). */
    public List<SdpLine> lines() {
        return lines;
    }

    /** The {@code a=} lines of this section, in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    /** Every attribute named {@code name}, in order. */
    public List<Attribute> attributes(String name) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The first attribute named {@code name}. */
    public Optional<Attribute> attribute(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The value of the first attribute named {@code name} (empty string for a property attribute). */
    public Optional<String> attributeValue(String name) {
        return attribute(name).map(Attribute::valueOrEmpty);
    }

    /** Whether an attribute named {@code name} is present. */
    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    /** The values of every attribute named {@code name}, in order. */
    public List<String> attributeValues(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(a.valueOrEmpty());
            }
        }
        return out;
    }

    /** The first direction attribute at this level; RFC 8866 section 6.7 says sendrecv when there is none. */
    public Optional<Direction> direction() {
        for (Attribute a : attributes) {
            Optional<Direction> d = Direction.of(a.name());
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** The first {@code c=} line of this section. */
    public Optional<Connection> connection() {
        for (SdpLine l : lines) {
            if (l.type() == 'c') {
                return Optional.of(valid(() -> Connection.parse(l.value())));
            }
        }
        return Optional.empty();
    }

    /** {@code a=ice-ufrag} at this level (RFC 8839 section 5.4). */
    public Optional<String> iceUfrag() {
        return attributeValue("ice-ufrag");
    }

    /** {@code a=ice-pwd} at this level (RFC 8839 section 5.4). */
    public Optional<String> icePwd() {
        return attributeValue("ice-pwd");
    }

    /** The tokens of the {@code a=ice-options} lines at this level (RFC 8839 section 5.6). */
    public List<String> iceOptions() {
        List<String> out = new ArrayList<>();
        for (String v : attributeValues("ice-options")) {
            out.addAll(List.of(v.split(" ")));
        }
        return out;
    }

    /** The {@code a=fingerprint} lines at this level, in order (RFC 8122 section 5). */
    public List<Fingerprint> fingerprints() {
        return parsedValues("fingerprint", Fingerprint::parse);
    }

    /** {@code a=setup} at this level (RFC 8842 section 5). */
    public Optional<Setup> setup() {
        return attributeValue("setup").map(v -> valid(() -> Setup.parse(v)));
    }

    interface Checked<T> {
        T get() throws SdpParseException;
    }

    interface Parser<T> {
        T parse(String value) throws SdpParseException;
    }

    /** Every attribute named {@code name} read by {@code parser}, in order; its grammar was checked when the description was made. */
    <T> List<T> parsedValues(String name, Parser<T> parser) {
        List<T> out = new ArrayList<>();
        for (String v : attributeValues(name)) {
            out.add(valid(() -> parser.parse(v)));
        }
        return out;
    }

    /** Reads a value that was checked when the description was made. */
    static <T> T valid(Checked<T> read) {
        try {
            return read.get();
        } catch (SdpParseException e) {
            throw new IllegalStateException("value was checked when the description was made: " + e.getMessage(), e);
        }
    }
}
