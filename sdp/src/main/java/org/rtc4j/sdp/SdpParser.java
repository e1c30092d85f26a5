package org.rtc4j.sdp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * Reads SDP text (RFC 8866). Lines may end with CRLF or LF; the last line may lack its ending; blank lines
 * are allowed only at the very end. Lines of unknown types and unknown attributes are kept in order. The
 * structure ({@code v=}, {@code o=}, {@code s=}, {@code t=}, {@code c=}, {@code b=}, {@code m=}) and the
 * attributes JSEP relies on are checked; the first problem is reported with its line number. Input beyond
 * the {@link SdpLimits} is refused before it is split, so no description can make the parser allocate more
 * than a bounded multiple of the limit.
 */
public final class SdpParser {

    private SdpParser() {
    }

    /** Parses with {@link SdpLimits#DEFAULT}. */
    public static SessionDescription parse(String text) throws SdpParseException {
        return parse(text, SdpLimits.DEFAULT);
    }

    /** Parses UTF-8 bytes (RFC 8866 section 5: the default character set is UTF-8). */
    public static SessionDescription parse(byte[] utf8, SdpLimits limits) throws SdpParseException {
        if (utf8.length > limits.maxChars()) {
            throw new SdpParseException(0, "description is " + utf8.length + " bytes, more than the limit of " + limits.maxChars());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new SdpParseException(0, "description is not valid UTF-8");
        }
        return parse(text, limits);
    }

    /** Parses {@code text} within {@code limits}. */
    public static SessionDescription parse(String text, SdpLimits limits) throws SdpParseException {
        if (text.length() > limits.maxChars()) {
            throw new SdpParseException(0, "description is " + text.length() + " characters, more than the limit of " + limits.maxChars());
        }
        List<SdpLine> lines = new ArrayList<>();
        int pos = 0;
        int number = 0;
        int firstBlank = 0; // the first blank line seen; only blank lines may follow it
        int n = text.length();
        while (pos < n) {
            number++;
            if (number > limits.maxLines()) {
                throw new SdpParseException(number, "more than the limit of " + limits.maxLines() + " lines");
            }
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? n : nl;
            int contentEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (contentEnd == pos) {
                if (firstBlank == 0) {
                    firstBlank = number;
                }
            } else {
                if (firstBlank != 0) {
                    throw new SdpParseException(firstBlank, "blank line inside the description");
                }
                lines.add(line(text, pos, contentEnd, number));
            }
            pos = nl < 0 ? n : nl + 1;
        }
        // Blank lines come only at the end, so lines.get(i) is line i + 1.
        return assemble(lines, true);
    }

    private static SdpLine line(String text, int start, int end, int number) throws SdpParseException {
        if (end - start < 2 || text.charAt(start + 1) != '=') {
            throw new SdpParseException(number, "expected <type>=<value>");
        }
        char type = text.charAt(start);
        if (type < 'a' || type > 'z') {
            throw new SdpParseException(number, "line type must be a lower-case letter, not '" + type + "'");
        }
        for (int i = start + 2; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == 0) {
                throw new SdpParseException(number, c == 0 ? "NUL character in line" : "CR not followed by LF");
            }
        }
        return new SdpLine(type, text.substring(start + 2, end));
    }

    /**
     * Checks lines in order and groups them into a description; the line number of {@code lines.get(i)} is
     * {@code i + 1}. Shared with {@link SdpBuilder}, so parsed and built descriptions obey the same rules.
     */
    static SessionDescription assemble(List<SdpLine> lines, boolean parsed) throws SdpParseException {
        if (lines.isEmpty()) {
            throw new SdpParseException(0, "empty description");
        }
        if (!parsed) {
            for (int i = 0; i < lines.size(); i++) {
                SdpLine l = lines.get(i);
                if (l.type() < 'a' || l.type() > 'z') {
                    throw new SdpParseException(i + 1, "line type must be a lower-case letter, not '" + l.type() + "'");
                }
                if (l.value().indexOf('\r') >= 0 || l.value().indexOf('\n') >= 0 || l.value().indexOf(0) >= 0) {
                    throw new SdpParseException(i + 1, "a line may not contain CR, LF or NUL");
                }
            }
        }
        // RFC 8866 section 5: v=, o=, s= come first, in this order.
        expect(lines, 0, 'v');
        if (!lines.get(0).value().equals("0")) {
            throw new SdpParseException(1, "v= must be 0");
        }
        expect(lines, 1, 'o');
        Origin origin = withLine(2, () -> Origin.parse(lines.get(1).value()));
        expect(lines, 2, 's');
        String sessionName = lines.get(2).value();

        int i = 3;
        boolean timing = false;
        boolean connection = false;
        List<SdpLine> session = new ArrayList<>(lines.subList(0, 3));
        for (; i < lines.size() && lines.get(i).type() != 'm'; i++) {
            SdpLine l = lines.get(i);
            int number = i + 1;
            switch (l.type()) {
                case 'v', 'o', 's' -> throw new SdpParseException(number, l.type() + "= may appear only once");
                case 't' -> {
                    timing(l, number);
                    timing = true;
                }
                case 'c' -> {
                    if (connection) {
                        throw new SdpParseException(number, "more than one c= at session level");
                    }
                    withLine(number, () -> Connection.parse(l.value()));
                    connection = true;
                }
                default -> common(l, number);
            }
            session.add(l);
        }
        if (!timing) {
            throw new SdpParseException(0, "no t= line at session level");
        }

        List<MediaDescription> media = new ArrayList<>();
        while (i < lines.size()) {
            int mNumber = i + 1;
            SdpLine m = lines.get(i);
            MediaLine mediaLine = withLine(mNumber, () -> MediaLine.parse(m.value()));
            List<SdpLine> section = new ArrayList<>();
            section.add(m);
            for (i++; i < lines.size() && lines.get(i).type() != 'm'; i++) {
                SdpLine l = lines.get(i);
                int number = i + 1;
                switch (l.type()) {
                    case 'v', 'o', 's', 't', 'r', 'z', 'u', 'e', 'p' ->
                            throw new SdpParseException(number, l.type() + "= is allowed only at session level");
                    case 'c' -> withLine(number, () -> Connection.parse(l.value()));
                    default -> common(l, number);
                }
                section.add(l);
            }
            media.add(new MediaDescription(section, mediaLine, parsed ? mNumber : 0));
        }
        return new SessionDescription(session, origin, sessionName, media);
    }

    private static void expect(List<SdpLine> lines, int index, char type) throws SdpParseException {
        if (index >= lines.size() || lines.get(index).type() != type) {
            throw new SdpParseException(index + 1, "line " + (index + 1) + " must be " + type + "= (RFC 8866 section 5)");
        }
    }

    /** Lines allowed at both levels: b= and a= are checked, any other type is kept as written. */
    private static void common(SdpLine l, int number) throws SdpParseException {
        if (l.type() == 'a') {
            Attribute a = Attribute.parse(l.value());
            withLine(number, () -> {
                AttributeRules.check(a);
                return a;
            });
        } else if (l.type() == 'b') {
            // RFC 8866 section 5.8: <bwtype>:<bandwidth>
            String v = l.value();
            int colon = v.indexOf(':');
            if (colon <= 0 || !Grammar.isToken(v.substring(0, colon)) || !Grammar.isDigits(v.substring(colon + 1))) {
                throw new SdpParseException(number, "b= must be <bwtype>:<bandwidth>");
            }
        }
    }

    private static void timing(SdpLine l, int number) throws SdpParseException {
        List<String> f = Grammar.fields(l.value());
        if (f == null || f.size() != 2 || !Grammar.isDigits(f.get(0)) || !Grammar.isDigits(f.get(1))) {
            throw new SdpParseException(number, "t= must be <start-time> <stop-time>");
        }
    }

    private static <T> T withLine(int number, SdpSection.Checked<T> read) throws SdpParseException {
        try {
            return read.get();
        } catch (SdpParseException e) {
            throw e.line() == number ? e : new SdpParseException(number, e.reason());
        }
    }
}
