package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What rtc4j writes in the {@code m=audio} or {@code m=video} section of one transceiver (RFC 9429 section 5.2.1
 * and 5.3.1), for {@link JsepBuilder}: its mid, direction, payload formats with their feedback, header
 * extensions, the streams of its track ({@code a=msid}, RFC 8830) and the SSRCs it sends with the RTX SSRC of
 * each ({@code a=ssrc}, {@code a=ssrc-group:FID}, RFC 5576 and RFC 4588). A stopped transceiver's section is
 * written rejected, with port 0 (RFC 9429 section 5.2.2), until a new transceiver recycles its place.
 *
 * @param codecs in order of preference; for an answer, what {@link CodecNegotiation#answer} returned (empty
 *     rejects the section)
 * @param msids one per stream of the track; written only when the direction sends
 * @param sendStreams written only when the direction sends
 * @param rids the {@code a=rid} lines (RFC 8851), e.g. those that accept an offer's simulcast
 * @param simulcast the {@code a=simulcast} line (RFC 8853), or null
 * @param stopped whether the transceiver is stopped: the section is written rejected
 */
public record TransceiverSection(String mid, String kind, Direction direction, List<RtpCodecParameters> codecs,
                                 List<HeaderExtension> headerExtensions, List<Msid> msids, List<SendStream> sendStreams,
                                 List<Rid> rids, Simulcast simulcast, boolean stopped) {

    /**
     * One RTP stream this end sends: its SSRC, the SSRC of its RTX repair stream (-1 when none) and the CNAME
     * (RFC 7022: one per connection).
     */
    public record SendStream(long ssrc, long rtxSsrc, String cname) {

        public SendStream {
            Objects.requireNonNull(cname, "cname");
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < -1 || rtxSsrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("an SSRC is 32 bits unsigned: " + ssrc + ", " + rtxSsrc);
            }
        }
    }

    public TransceiverSection {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
        msids = List.copyOf(msids);
        sendStreams = List.copyOf(sendStreams);
        rids = List.copyOf(rids);
    }

    /** A section with these formats and extensions, no streams and no SSRCs yet. */
    public static TransceiverSection of(String mid, String kind, Direction direction, List<RtpCodecParameters> codecs,
            List<HeaderExtension> headerExtensions) {
        return new TransceiverSection(mid, kind, direction, codecs, headerExtensions, List.of(), List.of(), List.of(), null, false);
    }

    /** A section offering the capabilities as they are. */
    public static TransceiverSection offer(String mid, String kind, Direction direction, RtpCapabilities capabilities) {
        return of(mid, kind, direction, capabilities.codecs(), capabilities.headerExtensions());
    }

    /**
     * The answer to one offered section (RFC 9429 section 5.3.1): the formats {@link CodecNegotiation#answer}
     * accepts, the extensions {@link ExtensionNegotiation#answer} accepts, and the direction the transceiver's
     * allows given the offer's ({@link Direction#answerTo}). An offer that sends simulcast is accepted when the
     * answer receives: each offered stream comes back as {@code a=rid:<id> recv} and the offer's
     * {@code a=simulcast:send} as {@code a=simulcast:recv} (RFC 8853 section 5.3), restrictions left to the sender.
     *
     * @param codecPreferences true when the transceiver's codec preferences were set (their order wins)
     */
    public static TransceiverSection answer(SessionDescription offer, MediaDescription offered, Direction local,
            RtpCapabilities capabilities, boolean codecPreferences) {
        Direction d = local.answerTo(offer.directionOf(offered));
        TransceiverSection s = of(offered.mid().orElse(""), offered.kind(), d,
                CodecNegotiation.answer(offered.codecs(), capabilities.codecs(), codecPreferences),
                ExtensionNegotiation.answer(offer, offered, capabilities.headerExtensions()));
        Simulcast sim = offered.simulcast().orElse(null);
        if (sim == null || sim.send().isEmpty() || !d.receives()) {
            return s;
        }
        List<Rid> rids = new ArrayList<>();
        List<List<Simulcast.Stream>> receive = new ArrayList<>();
        for (List<Simulcast.Stream> alternatives : sim.send()) {
            List<Simulcast.Stream> kept = new ArrayList<>();
            for (Simulcast.Stream st : alternatives) {
                // RFC 8853 section 5.1: each stream names an a=rid of the section, in the same direction
                if (offered.rids().stream().anyMatch(r -> r.send() && r.id().equals(st.rid()))
                        && rids.stream().noneMatch(r -> r.id().equals(st.rid()))) {
                    rids.add(new Rid(st.rid(), false, List.of(), Map.of()));
                    kept.add(st);
                }
            }
            if (!kept.isEmpty()) {
                receive.add(kept);
            }
        }
        return receive.isEmpty() ? s : new TransceiverSection(s.mid, s.kind, d, s.codecs, s.headerExtensions, s.msids,
                s.sendStreams, rids, new Simulcast(List.of(), receive), false);
    }

    /**
     * A copy that names the track's streams ({@code a=msid:<stream> <track>}; {@code -} for none, RFC 8830), the
     * track id left out when empty (RFC 9429 section 5.2.1 writes no appdata).
     */
    public TransceiverSection withTrack(String trackId, List<String> streamIds) {
        List<Msid> m = new ArrayList<>();
        for (String s : streamIds.isEmpty() ? List.of(Msid.NO_STREAM) : streamIds) {
            m.add(new Msid(s, trackId));
        }
        return new TransceiverSection(mid, kind, direction, codecs, headerExtensions, m, sendStreams, rids, simulcast, stopped);
    }

    /** A copy with the SSRCs this end sends. */
    public TransceiverSection withSendStreams(List<SendStream> streams) {
        return new TransceiverSection(mid, kind, direction, codecs, headerExtensions, msids, streams, rids, simulcast, stopped);
    }

    /** A copy with another direction. */
    public TransceiverSection withDirection(Direction d) {
        return new TransceiverSection(mid, kind, d, codecs, headerExtensions, msids, sendStreams, rids, simulcast, stopped);
    }

    /** A copy marked stopped: written rejected, port 0. */
    public TransceiverSection asStopped() {
        return new TransceiverSection(mid, kind, Direction.INACTIVE, codecs, headerExtensions, List.of(), List.of(), List.of(),
                null, true);
    }

    /** Whether the section is written rejected: stopped, or no format left. */
    public boolean rejected() {
        return stopped || codecs.isEmpty();
    }
}
