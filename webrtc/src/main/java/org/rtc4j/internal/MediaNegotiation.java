package org.rtc4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.sdp.CodecNegotiation;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.HeaderExtension;
import org.rtc4j.sdp.MediaDescription;
import org.rtc4j.sdp.Msid;
import org.rtc4j.sdp.RtpCapabilities;
import org.rtc4j.sdp.RtpCodecParameters;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.sdp.TransceiverSection;

/**
 * The media sections of the descriptions (RFC 9429 sections 5.2 to 5.10) for the {@link Negotiator}: one m=
 * section per transceiver, BUNDLEd with the data section; what an applied offer or answer settles goes to the
 * {@link MediaTransport}'s streams. The sections themselves are media-sdp's ({@link TransceiverSection}).
 */
final class MediaNegotiation {

    private MediaNegotiation() {
    }

    /** Our codecs for a transceiver: its preferences, else every capability of its kind. */
    static RtpCapabilities capabilities(TransceiverModel t) {
        RtpCapabilities all = RtpCapabilities.defaults(t.kind);
        return t.codecPreferences.isEmpty() ? all
                : all.withCodecs(CodecNegotiation.preferences(all.codecs(), t.codecPreferences));
    }

    /**
     * The transceivers in the order of their m= sections in the last negotiated description, the new ones after
     * (RFC 9429 section 5.2.2: a subsequent offer keeps every m= line where it was); {@code null} in the list
     * stands for the data section, first in a first offer, absent when the session negotiated none.
     */
    static List<TransceiverModel> sectionOrder(SessionDescription previous, List<TransceiverModel> transceivers) {
        List<TransceiverModel> order = new ArrayList<>();
        boolean data = false;
        if (previous != null) {
            for (MediaDescription m : previous.media()) {
                if (m.isDataChannel() && !data) {
                    data = true;
                    order.add(null);
                } else if (m.mid().isPresent()) {
                    transceivers.stream().filter(t -> m.mid().get().equals(t.mid)).findFirst().ifPresent(order::add);
                }
            }
        }
        if (previous == null) {
            order.add(0, null);     // a first offer always has a data section; later ones keep what was negotiated
        }
        for (TransceiverModel t : transceivers) {
            if (t.mid != null && !order.contains(t)) {
                order.add(t);
            }
        }
        return order;
    }

    /** The section of a transceiver in an offer (JSEP section 5.2.1); stopped ones are written rejected. */
    static TransceiverSection offer(TransceiverModel t, String cname) {
        TransceiverSection s = TransceiverSection.offer(t.mid, t.kind, t.direction, capabilities(t));
        return t.stopped ? s.asStopped() : withStreams(s, t, cname);
    }

    /** The answer to an offered section associated with {@code t} (JSEP section 5.3.1). */
    static TransceiverSection answer(SessionDescription offer, MediaDescription offered, TransceiverModel t,
                                     String cname) {
        TransceiverSection s = TransceiverSection.answer(offer, offered, t.direction, capabilities(t),
                !t.codecPreferences.isEmpty());
        return t.stopped ? s.asStopped() : withStreams(s, t, cname);
    }

    private static TransceiverSection withStreams(TransceiverSection s, TransceiverModel t, String cname) {
        if (!s.direction().sends()) {
            return s;
        }
        // an RTX SSRC (a=ssrc-group:FID) only where RTX is negotiated: Chromium refuses an audio section with one
        boolean rtx = s.codecs().stream().anyMatch(RtpCodecParameters::isRtx);
        return s.withTrack(t.trackId == null ? "-" : t.trackId, t.streamIds)
                .withSendStreams(List.of(new TransceiverSection.SendStream(Integer.toUnsignedLong(t.ssrc),
                        rtx ? Integer.toUnsignedLong(t.rtxSsrc) : -1, cname)));
    }

    /**
     * A remote offer's audio and video sections each get a transceiver (W3C section 4.4.1.6, step "process the
     * remote description"): the one with that mid, else one addTrack made that has no mid yet, else a new one
     * (recvonly) from {@code create}.
     */
    static void associate(SessionDescription offer, List<TransceiverModel> transceivers,
                          java.util.function.Function<String, TransceiverModel> create) {
        for (MediaDescription m : offer.media()) {
            if (!m.isRtp() || m.mid().isEmpty() || m.isRejected()) {
                continue;
            }
            String mid = m.mid().get();
            if (transceivers.stream().anyMatch(t -> mid.equals(t.mid))) {
                continue;
            }
            Optional<TransceiverModel> free = transceivers.stream()
                    .filter(t -> t.mid == null && !t.stopped && t.kind.equals(m.kind())).findFirst();
            TransceiverModel t = free.orElseGet(() -> create.apply(m.kind()));
            t.mid = mid;
        }
    }

    /**
     * Reads what the peer's description says of each transceiver's section: whether it sends to us and the
     * streams it names (a=msid). Returns those that started sending (a track event each, W3C section 4.4.1.6).
     */
    static List<TransceiverModel> remoteTracks(SessionDescription remote, List<TransceiverModel> transceivers) {
        List<TransceiverModel> started = new ArrayList<>();
        for (TransceiverModel t : transceivers) {
            Optional<MediaDescription> m = t.mid == null ? Optional.empty() : remote.mediaByMid(t.mid);
            if (m.isEmpty() || m.get().isRejected()) {
                continue;
            }
            boolean sends = remote.directionOf(m.get()).sends();
            if (sends && !t.remoteSending) {
                t.remoteStreamIds = m.get().msids().stream().filter(x -> !x.noStream()).map(Msid::streamId).toList();
                started.add(t);
            }
            t.remoteSending = sends;
        }
        return started;
    }

    /**
     * Both descriptions are current: each transceiver's negotiated direction and codec, and its streams added to
     * the media transport (RFC 8843: all on the one BUNDLE transport).
     *
     * @param answer the answer (ours or theirs), which holds what was settled
     * @param weAnswered whether the answer is ours (its directions are ours as they are)
     */
    static void settle(SessionDescription answer, boolean weAnswered, List<TransceiverModel> transceivers,
                       MediaTransport media) {
        for (TransceiverModel t : transceivers) {
            Optional<MediaDescription> m = t.mid == null ? Optional.empty() : answer.mediaByMid(t.mid);
            if (m.isEmpty() || m.get().isRejected()) {
                t.currentDirection = m.isPresent() ? Direction.INACTIVE : null;
                continue;
            }
            Direction d = answer.directionOf(m.get());
            t.currentDirection = weAnswered ? d : d.reversed();
            List<RtpCodecParameters> codecs = m.get().codecs();
            t.codec = codecs.stream().filter(c -> !c.isRtx() && Codec.byName(c.name()) != null).findFirst()
                    .orElse(null);
            if (t.codec == null) {
                continue;
            }
            t.rtxPayloadType = codecs.stream().filter(c -> c.isRtx() && c.apt() == t.codec.payloadType())
                    .mapToInt(RtpCodecParameters::payloadType).findFirst().orElse(-1);
            answer.headerExtensions(m.get()).stream().filter(h -> h.uri().equals(HeaderExtension.SDES_MID))
                    .findFirst().ifPresent(h -> media.useMidExtension(h.id()));
            configure(t, media);
        }
    }

    private static void configure(TransceiverModel t, MediaTransport media) {
        Codec codec = Codec.byName(t.codec.name());
        if (t.currentDirection.sends() && !t.sendConfigured) {
            t.sendConfigured = true;
            media.addSendStream(new SendStreamConfig(t.ssrc, codec, t.codec.payloadType(), t.mid, null, t.rtxSsrc,
                    t.rtxPayloadType));
        }
        if (t.currentDirection.receives() && !t.receiveConfigured) {
            t.receiveConfigured = true;
            media.addReceiveStream(ReceiveStreamConfig.of(t.mid, codec, t.codec.payloadType(), t.rtxPayloadType));
        }
    }
}
