package org.rtc4j.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 section 6.15). The parameters of the
 * payload formats WebRTC uses are {@code name=value} pairs separated by {@code ;} (RFC 7587, RFC 6184,
 * RFC 4588); a part without {@code =} ({@code 0-15} of telephone-event, {@code 111/111} of RED) is kept as a
 * name with an empty value, so the line writes back as read. Names are kept as written; {@link #get} ignores
 * their case, as the media-type registrations say names are case-insensitive.
 *
 * @param parameters in the order written
 */
public record Fmtp(String format, Map<String, String> parameters) {

    public Fmtp {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Parses the value of {@code a=fmtp}. */
    public static Fmtp parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        String format = sp < 0 ? value : value.substring(0, sp);
        if (!Grammar.isToken(format)) {
            throw new SdpParseException(0, "a=fmtp format is not a token: " + format);
        }
        return new Fmtp(format, parameters(sp < 0 ? "" : value.substring(sp + 1)));
    }

    /** Splits {@code a=1;b=2} (spaces around parts are dropped, empty parts skipped, the first value kept). */
    public static Map<String, String> parameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq).strip();
            out.putIfAbsent(name, eq < 0 ? "" : p.substring(eq + 1).strip());
        }
        return out;
    }

    /** The value of parameter {@code name}, whatever its case, or null. */
    public String get(String name) {
        return get(parameters, name);
    }

    static String get(Map<String, String> parameters, String name) {
        String v = parameters.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The parameters as written in {@code a=fmtp}: {@code a=1;b=2}. */
    public static String format(Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    /** The attribute value. */
    @Override
    public String toString() {
        return parameters.isEmpty() ? format : format + " " + format(parameters);
    }
}
