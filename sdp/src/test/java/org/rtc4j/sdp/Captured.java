package org.rtc4j.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The descriptions kept as test resources: captured from Chromium, or written after the RFCs and other stacks. */
final class Captured {

    /** Every resource, each with CRLF line endings. */
    static final List<String> ALL = List.of("chromium-offer.sdp", "chromium-answer.sdp",
            "chromium-datachannel-offer.sdp", "chromium-datachannel-answer.sdp", "firefox-offer.sdp",
            "pion-offer.sdp", "rfc8866-example.sdp", "firefox-media-offer.sdp", "pion-media-offer.sdp");

    private Captured() {
    }

    static String text(String name) {
        try (InputStream in = Captured.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) throws SdpParseException {
        return SdpParser.parse(text(name));
    }
}
