package org.rtc4j.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.payload.PayloadFormats;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.sdp.CodecNegotiation;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.ExtensionNegotiation;
import org.rtc4j.sdp.HeaderExtension;
import org.rtc4j.sdp.MediaDescription;
import org.rtc4j.sdp.Msid;
import org.rtc4j.sdp.RtpCapabilities;
import org.rtc4j.sdp.RtpCodecParameters;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.sdp.Simulcast;
import org.rtc4j.sdp.Ssrc;
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
     * One m= section of an offer: the data section ({@link #DATA}), a transceiver's, or a rejected section kept in
     * its place (RFC 9429 section 5.2.2: a subsequent offer keeps every m= line of the last negotiation).
     */
    record Slot(TransceiverModel transceiver, String rejectedMid, String rejectedKind) {

        static final Slot DATA = new Slot(null, null, null);
    }

    /**
     * The sections of an offer: the transceivers in the order of their m= sections in the last negotiated
     * description, the new ones after. A section whose transceiver is gone (stopped and negotiated away, W3C
     * section 4.4.1.6) is recycled by the first new transceiver, with its own new mid, at the same index (RFC 9429
     * section 5.2.2), else kept rejected. The data section is first in a first offer, absent later when the
     * session negotiated none.
     */
    static List<Slot> sectionOrder(SessionDescription previous, List<TransceiverModel> transceivers) {
        List<TransceiverModel> fresh = new ArrayList<>();
        for (TransceiverModel t : transceivers) {
            if (t.mid != null && !t.stopped && (previous == null || previous.mediaByMid(t.mid).isEmpty())) {
                fresh.add(t);
            }
        }
        List<Slot> order = new ArrayList<>();
        if (previous == null) {
            order.add(Slot.DATA);
        } else {
            for (MediaDescription m : previous.media()) {
                if (m.isDataChannel() && !order.contains(Slot.DATA)) {
                    order.add(Slot.DATA);
                } else if (m.mid().isPresent()) {
                    String mid = m.mid().get();
                    Optional<TransceiverModel> t = transceivers.stream().filter(x -> mid.equals(x.mid)).findFirst();
                    order.add(t.isPresent() ? new Slot(t.get(), null, null)
                            : !fresh.isEmpty() ? new Slot(fresh.remove(0), null, null)
                            : new Slot(null, mid, m.kind()));
                }
            }
        }
        for (TransceiverModel t : fresh) {
            order.add(new Slot(t, null, null));
        }
        return order;
    }

    /** A section kept rejected in its place (port 0, its old mid), for a transceiver that is gone. */
    static TransceiverSection rejected(String mid, String kind) {
        return TransceiverSection.of(mid, kind, Direction.INACTIVE, RtpCapabilities.defaults(kind).codecs(), List.of())
                .asStopped();
    }

    /**
     * The section of a transceiver in an offer (JSEP section 5.2.1), its extensions with the ids of
     * {@link #offerExtensionIds}; stopped ones are written rejected.
     */
    static TransceiverSection offer(TransceiverModel t, String cname, Map<String, Integer> extensionIds) {
        RtpCapabilities c = capabilities(t);
        c = new RtpCapabilities(c.codecs(), ExtensionNegotiation.withIds(c.headerExtensions(), extensionIds));
        TransceiverSection s = TransceiverSection.offer(t.mid, t.kind, t.direction, c);
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
        // RFC 9429 sections 5.2.1 and 5.3.1: an a=msid line per stream of the transceiver, "-" for none (one made
        // by a remote offer), each without the appdata (track id): the track a sender sends changes with
        // replaceTrack, and the peer tells tracks apart by mid
        return s.withTrack("", t.streamIds)
                .withSendStreams(List.of(new TransceiverSection.SendStream(Integer.toUnsignedLong(t.ssrc),
                        rtx ? Integer.toUnsignedLong(t.rtxSsrc) : -1, cname)));
    }

    /**
     * A remote offer's audio and video sections each get a transceiver (W3C section 4.4.1.6, step "process the
     * remote description"): the one with that mid, else one addTrack made that has no mid yet, else a new one
     * (recvonly) from {@code create}. Returns the transceivers whose mid this offer set (for a rollback).
     */
    static List<TransceiverModel> associate(SessionDescription offer, List<TransceiverModel> transceivers,
                          java.util.function.Function<String, TransceiverModel> create) {
        List<TransceiverModel> associated = new ArrayList<>();
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
            associated.add(t);
        }
        return associated;
    }

    /**
     * The transceivers whose section the peer's description rejects (port 0) are stopped (W3C section 4.4.1.6,
     * "if the media description is rejected ... stop the transceiver"); returns those it stopped now.
     */
    static List<TransceiverModel> stopRejected(SessionDescription remote, List<TransceiverModel> transceivers) {
        List<TransceiverModel> stopped = new ArrayList<>();
        for (TransceiverModel t : transceivers) {
            if (t.mid != null && !t.stopped && remote.mediaByMid(t.mid).filter(MediaDescription::isRejected).isPresent()) {
                t.stopped = true;
                stopped.add(t);
            }
        }
        return stopped;
    }

    /**
     * The negotiation is done: stopped transceivers whose section the answer rejects (or that never had one) leave
     * the connection (W3C section 4.4.1.6, "remove the transceiver from the connection's set of transceivers");
     * their sections stay rejected until a new transceiver recycles them. Returns those removed.
     */
    static List<TransceiverModel> removeStopped(SessionDescription answer, List<TransceiverModel> transceivers) {
        List<TransceiverModel> removed = new ArrayList<>();
        for (TransceiverModel t : transceivers) {
            if (t.stopped && (t.mid == null || answer.mediaByMid(t.mid).map(MediaDescription::isRejected).orElse(true))) {
                removed.add(t);
            }
        }
        transceivers.removeAll(removed);
        return removed;
    }

    /**
     * A rollback (W3C section 4.4.1.5, RFC 9429 section 4.1.10.2): a mid that the current remote description
     * ({@code current}, null before one) does not have goes back to null, and a transceiver the rolled-back remote
     * offer made ({@code created}) is removed unless addTrack has since given it a track. Returns those removed.
     */
    static List<TransceiverModel> rollBack(SessionDescription current, List<TransceiverModel> transceivers,
                                           List<TransceiverModel> created) {
        for (TransceiverModel t : transceivers) {
            if (t.mid != null && (current == null || current.mediaByMid(t.mid).isEmpty())) {
                t.mid = null;
                t.remoteSending = false;
                t.remoteStreamIds = List.of();
            }
        }
        List<TransceiverModel> removed = created.stream().filter(t -> t.trackId == null).toList();
        transceivers.removeAll(removed);
        return removed;
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
     * Both descriptions are current: each transceiver's negotiated direction and codecs, and its streams added to
     * the media transport (RFC 8843: all on the one BUNDLE transport).
     *
     * @param answer the answer (ours or theirs), which holds what was settled
     * @param remote the peer's description (the offer when we answered, else the answer)
     * @param weAnswered whether the answer is ours (its directions are ours as they are)
     */
    static void settle(SessionDescription answer, SessionDescription remote, boolean weAnswered,
                       List<TransceiverModel> transceivers, MediaTransport media) {
        media.useExtensions(extensionIds(answer));
        for (TransceiverModel t : transceivers) {
            Optional<MediaDescription> m = t.mid == null ? Optional.empty() : answer.mediaByMid(t.mid);
            if (m.isEmpty() || m.get().isRejected()) {
                t.currentDirection = m.isPresent() ? Direction.INACTIVE : null;
                continue;
            }
            Direction d = answer.directionOf(m.get());
            t.currentDirection = weAnswered ? d : d.reversed();
            List<RtpCodecParameters> codecs = m.get().codecs();
            t.codecs = codecs.stream().filter(c -> !c.isRtx() && Codec.byName(c.name()) != null).toList();
            t.rtxFormats = codecs.stream().filter(c -> c.isRtx() && t.codecs.stream()
                    .anyMatch(k -> k.payloadType() == c.apt())).toList();
            t.codec = sendCodec(t.codecs);
            if (t.codec == null) {
                continue;
            }
            t.rtxPayloadType = t.rtxOf(t.codec.payloadType());
            int midId = extensionId(answer.headerExtensions(m.get()), HeaderExtension.SDES_MID);
            MediaDescription theirs = remote.mediaByMid(t.mid).orElse(m.get());
            configure(t, theirs, midId > 0, media);
        }
    }

    /**
     * The codec a sender uses: the first negotiated (RFC 3264 section 5.1: the answer's order is the preference),
     * passing over H.264 in packetization-mode 0 while another codec is negotiated. Mode 0 carries each NAL unit
     * in a packet of its own (RFC 6184 section 6.2), and rtc4j's H.264 encoder codes a picture as one slice, over
     * the MTU for most pictures: those frames would be dropped. When mode 0 is all the peer takes, it is used,
     * and only frames whose NAL units fit are sent (others dropped and counted; an application can pass through
     * an H.264 stream of small slices).
     */
    static RtpCodecParameters sendCodec(List<RtpCodecParameters> codecs) {
        List<RtpCodecParameters> media = codecs.stream().filter(c -> !c.is("telephone-event")).toList();
        return media.stream().filter(c -> !singleNalUnitMode(c)).findFirst()
                .orElse(media.isEmpty() ? null : media.get(0));
    }

    private static boolean singleNalUnitMode(RtpCodecParameters c) {
        return c.is("H264") && "0".equals(java.util.Objects.requireNonNullElse(c.parameter("packetization-mode"), "0"));
    }

    /** The packetizer of a negotiated format: H.264 in its packetization-mode (RFC 6184 section 8.1: 0 if absent). */
    static Packetizer packetizer(RtpCodecParameters c) {
        Codec codec = Codec.byName(c.name());
        return codec == Codec.H264 ? PayloadFormats.h264Packetizer(singleNalUnitMode(c) ? 0 : 1)
                : PayloadFormats.packetizer(codec);
    }

    private static int extensionId(List<HeaderExtension> extensions, String uri) {
        return extensions.stream().filter(h -> h.uri().equals(uri)).mapToInt(HeaderExtension::id).findFirst().orElse(0);
    }

    /**
     * The ids of the extensions the RTP session writes and reads, from every section the answer accepts: under
     * BUNDLE one id has one meaning on the transport (RFC 8843 section 9.2), and the answer of each negotiation,
     * a renegotiation that added a track included, says them all (RFC 9429 section 5.10). The transport-wide
     * sequence number is read on received packets, which the session acknowledges in transport-wide feedback
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1): a browser's congestion controller grows its
     * rate only on that feedback. Our own packets carry none, nor abs-send-time: nothing here estimates bandwidth
     * from transport-wide feedback, and unnumbered packets keep a browser sending the REMB our encoders follow.
     */
    static ExtensionIds extensionIds(SessionDescription answer) {
        Map<String, Integer> ids = new HashMap<>();
        ExtensionNegotiation.idsInUse(answer).forEach((id, uri) -> ids.putIfAbsent(uri, id));
        return new ExtensionIds(ids.getOrDefault(HeaderExtension.SDES_MID, 0),
                ids.getOrDefault(HeaderExtension.RTP_STREAM_ID, 0),
                ids.getOrDefault(HeaderExtension.REPAIRED_RTP_STREAM_ID, 0), 0, 0)
                .withAudioLevels(ids.getOrDefault(HeaderExtension.AUDIO_LEVEL, 0),
                        ids.getOrDefault(HeaderExtension.CSRC_AUDIO_LEVEL, 0))
                .withReceivedTransportSequence(ids.getOrDefault(HeaderExtension.TRANSPORT_CC, 0));
    }

    /**
     * Refuses a peer's description that gives an id in use another meaning (RFC 8285 section 6: a session update
     * may add or remove extensions, but the streams on the transport read that id as they did): the extensions
     * the RTP session uses now keep their ids, or leave.
     */
    static void checkExtensionIds(SessionDescription remote, ExtensionIds inUse) {
        Map<Integer, String> theirs = ExtensionNegotiation.idsInUse(remote);
        Map<String, Integer> used = Map.of(HeaderExtension.SDES_MID, inUse.mid(), HeaderExtension.RTP_STREAM_ID,
                inUse.rid(), HeaderExtension.REPAIRED_RTP_STREAM_ID, inUse.repairedRid(), HeaderExtension.AUDIO_LEVEL,
                inUse.audioLevel(), HeaderExtension.CSRC_AUDIO_LEVEL, inUse.csrcAudioLevel(),
                HeaderExtension.TRANSPORT_CC, inUse.receivedTransportSequence());
        used.forEach((uri, id) -> {
            String now = theirs.get(id);
            if (now != null && !now.equals(uri)) {
                throw new org.rtc4j.InvalidAccessError("the description gives header extension id " + id
                        + ", in use for " + uri + ", to " + now + " (RFC 8285 section 6)");
            }
        });
    }

    /**
     * The ids of our extensions in an offer (RFC 9429 section 5.2.2): those the current negotiation gave (the
     * peer's when it offered first) keep them, others get free ones; one map for all sections.
     */
    static Map<String, Integer> offerExtensionIds(SessionDescription current) {
        List<HeaderExtension> ours = new ArrayList<>(RtpCapabilities.defaultAudio().headerExtensions());
        ours.addAll(RtpCapabilities.defaultVideo().headerExtensions());
        return ExtensionNegotiation.offerIds(current == null ? Map.of() : ExtensionNegotiation.idsInUse(current), ours);
    }

    /**
     * The send stream on the first codec, switched to another codec, payload type or RTX payload type when a later
     * offer/answer settles on one (RFC 3264 section 8.3.2: the new codec is used at once, on the same SSRC); a
     * receive stream for every negotiated codec (the peer may send any of them, RFC 3264 section 5.1), bound by
     * the first packet's payload type, those of codecs a later negotiation adds included. The peer's simulcast (its
     * a=rid send streams, RFC 8851) gives a stream per rid, of which the first listed feeds the track. Its a=ssrc
     * (RFC 5576) binds the first codec's stream when no MID extension was negotiated to tell the sections apart.
     */
    private static void configure(TransceiverModel t, MediaDescription theirs, boolean midExtension,
                                  MediaTransport media) {
        Codec codec = Codec.byName(t.codec.name());
        if (t.currentDirection.sends()) {
            SendStreamConfig send = new SendStreamConfig(t.ssrc, codec, t.codec.payloadType(), t.mid, null, t.rtxSsrc,
                    t.rtxPayloadType);
            // a stream keeps its MID (RFC 9143): a settled section's mid never changes, so this is a guard
            if (t.sent == null || java.util.Objects.equals(t.sent.mid(), send.mid())) {
                List<MediaTransport.SendFormat> formats = new ArrayList<>();
                formats.add(new MediaTransport.SendFormat(send, packetizer(t.codec)));
                for (RtpCodecParameters c : t.codecs) {
                    Codec k = Codec.byName(c.name());
                    if (c != t.codec && k != Codec.TELEPHONE_EVENT) {
                        formats.add(new MediaTransport.SendFormat(new SendStreamConfig(t.ssrc, k, c.payloadType(),
                                t.mid, null, t.rtxSsrc, t.rtxOf(c.payloadType())), packetizer(c)));
                    }
                }
                media.sendStream(formats);
                t.sent = send;
            }
        }
        if (!t.currentDirection.receives()) {
            return;
        }
        boolean first = t.receivePayloadTypes.isEmpty();
        List<String> rids = theirs.simulcast().map(sim -> sim.send().stream().flatMap(List::stream)
                .map(Simulcast.Stream::rid).toList()).orElse(List.of());
        if (first) {
            t.receiveRid = rids.isEmpty() ? null : rids.get(0);
        }
        long ssrc = first && rids.isEmpty() && !midExtension ? primarySsrc(theirs) : -1;
        for (RtpCodecParameters c : t.codecs) {
            if (!t.receivePayloadTypes.add(c.payloadType())) {
                continue;
            }
            Codec k = Codec.byName(c.name());
            if (k == Codec.TELEPHONE_EVENT) {
                media.receiveTelephoneEvents(c.payloadType());
                continue;
            }
            ReceiveStreamConfig base = ReceiveStreamConfig.of(t.mid, k, c.payloadType(), t.rtxOf(c.payloadType()));
            if (!rids.isEmpty()) {
                for (String rid : rids) {
                    media.addReceiveStream(new ReceiveStreamConfig(t.mid, rid, 0, k, base.payloadType(),
                            base.rtxPayloadType(), false, base.depacketizer()));
                }
            } else if (ssrc > 0 && c == t.codec) {
                media.addReceiveStream(base.withSsrc((int) ssrc));
            } else {
                media.addReceiveStream(base);
            }
        }
    }

    /** The first a=ssrc of a section that is not an RTX repair stream (the second of an FID group), or -1. */
    static long primarySsrc(MediaDescription m) {
        List<Long> repair = m.ssrcGroups().stream().filter(g -> g.semantics().equals(Ssrc.Group.FID)
                && g.ssrcs().size() == 2).map(g -> g.ssrcs().get(1)).toList();
        return m.ssrcIds().stream().filter(s -> !repair.contains(s)).findFirst().orElse(-1L);
    }
}
