package org.rtc4j.sdp;

import java.util.List;
import java.util.Optional;

/**
 * What a remote description says about its data-channel transport (RFC 9429 section 5.8): the ICE
 * credentials, DTLS fingerprints and setup role, the SCTP port and message size, and the candidates. Values
 * come from the media section that carries the transport (for a BUNDLE group, the section of the group's
 * first mid: RFC 8843 section 7), with the session-level lines as fallbacks for the attributes that may
 * appear at either level (RFC 8839 section 5, RFC 8122 section 5, RFC 8842 section 5).
 *
 * @param mediaIndex the index of the data-channel section among the media sections
 * @param mid its {@code a=mid}
 * @param setup {@code a=setup}, empty when absent (RFC 4145 section 4: then active in an offer, passive in an answer)
 * @param sctpPort the SCTP port, 5000 when absent (RFC 8841 section 5.1)
 * @param maxMessageSize the largest message the peer receives: 65,536 when absent, {@link Long#MAX_VALUE}
 *     for no limit (RFC 8841 section 6.1)
 * @param maxDatagram the largest DTLS datagram the peer receives ({@code a=x-rtc4j-max-datagram}), 0 when
 *     it does not say
 * @param candidates the {@code a=candidate} values, without the {@code candidate:} prefix
 * @param connection the {@code c=} of the data section, or of the session
 * @param port the port of the data section's {@code m=} line
 * @param legacy whether the section has the form of draft-ietf-mmusic-sctp-sdp-05 ({@code DTLS/SCTP} with
 *     {@code a=sctpmap}), which an answer keeps
 */
public record DataChannelParameters(int mediaIndex, String mid, String iceUfrag, String icePwd, boolean iceLite,
                                    List<String> iceOptions, List<Fingerprint> fingerprints, Optional<Setup> setup,
                                    int sctpPort, long maxMessageSize, int maxDatagram, List<String> candidates,
                                    boolean endOfCandidates, Optional<Connection> connection, int port,
                                    boolean legacy) {

    public DataChannelParameters {
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }

    /** Whether the peer supports trickle ICE ({@code a=ice-options:trickle}, RFC 8840 section 4.1.1). */
    public boolean trickle() {
        return iceOptions.contains("trickle");
    }

    /**
     * Reads the first data-channel section that is not rejected.
     *
     * @throws SdpParseException when there is none, or it lacks a mid, ICE credentials or a fingerprint (the
     *     line is that of its {@code m=} line when known)
     */
    public static DataChannelParameters read(SessionDescription sd) throws SdpParseException {
        int index = dataSectionIndex(sd);
        if (index < 0) {
            throw new SdpParseException(0, "no data-channel section (m=application <port> UDP/DTLS/SCTP webrtc-datachannel, or the legacy"
                    + " DTLS/SCTP <sctp-port> with a=sctpmap) that is not rejected");
        }
        MediaDescription data = sd.media().get(index);
        int line = data.lineNumber();
        String mid = data.mid().orElseThrow(() -> new SdpParseException(line, "the data-channel section has no a=mid (RFC 9429 section 5.2.1)"));
        MediaDescription transport = sd.bundleGroupOf(mid)
                .flatMap(g -> sd.mediaByMid(g.mids().get(0)))
                .orElse(data);
        TransportParameters t = TransportParameters.of(sd, sd.media().indexOf(transport));
        return new DataChannelParameters(index, mid, t.iceUfrag(), t.icePwd(), t.iceLite(), t.iceOptions(), t.fingerprints(),
                t.setup(), data.sctpPort(), data.maxMessageSize(), data.maxDatagram(), t.candidates(),
                t.endOfCandidates(), data.connection().or(sd::connection), data.mediaLine().port(),
                data.isLegacyDataChannel());
    }

    /** The index of the first data-channel section that is not rejected, or -1. */
    static int dataSectionIndex(SessionDescription sd) {
        List<MediaDescription> media = sd.media();
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).isDataChannel() && !media.get(i).isRejected()) {
                return i;
            }
        }
        return -1;
    }
}
