package org.rtc4j.sdp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Builds the offers and answers rtc4j sends (RFC 9429 sections 5.2 and 5.3), laid out as browsers write them:
 * the audio and video sections of the transceivers ({@link #media}, written by {@link MediaSectionWriter}) and
 * the data-channel section, all in one BUNDLE group on one transport. A data-only offer:
 *
 * <pre>
 * v=0
 * o=- &lt;sess-id&gt; &lt;sess-version&gt; IN IP4 127.0.0.1
 * s=-
 * t=0 0
 * a=group:BUNDLE 0
 * a=extmap-allow-mixed
 * a=msid-semantic: WMS
 * m=application 9 UDP/DTLS/SCTP webrtc-datachannel
 * c=IN IP4 0.0.0.0
 * a=candidate:... (those known)
 * a=ice-ufrag:... / a=ice-pwd:... / a=ice-options:trickle / a=fingerprint:sha-256 ...
 * a=setup:actpass (an answer: active or passive)
 * a=mid:0
 * a=sctp-port:5000
 * a=max-message-size:262144
 * </pre>
 *
 * An answer mirrors the offer's media sections in order (RFC 3264 section 6): it accepts the first
 * data-channel section and the audio and video sections given to {@link #media}, and rejects every other one with
 * port 0 (see {@code answerSections} for the transport). To a data section in the legacy form of
 * draft-ietf-mmusic-sctp-sdp-05 it answers in that form, as Chromium does:
 * {@code m=application 9 DTLS/SCTP 5000} and {@code a=sctpmap:5000 webrtc-datachannel 65535} instead of
 * {@code a=sctp-port}.
 */
public final class JsepBuilder {

    /** Chromium's value; rtc4j can receive messages of any size the SCTP layer reassembles. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 262_144;

    private final SessionDescription offer; // null when building an offer
    private long sessionId = -1;
    private long sessionVersion = 2;
    private String iceUfrag;
    private String icePwd;
    private final List<Fingerprint> fingerprints = new ArrayList<>();
    private boolean iceLite;
    private boolean trickle = true;
    private boolean extmapAllowMixed = true;
    private String mid = "0";
    private int sctpPort = 5000;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxDatagram;
    private final List<String> candidates = new ArrayList<>();
    private boolean endOfCandidates;
    private String defaultAddress;
    private int defaultPort = 9;
    private Setup setup;
    private final List<TransceiverSection> media = new ArrayList<>();
    private int dataPosition = -1; // among the media sections of an offer; -1: after them
    private boolean data = true;
    private boolean bundleOnly = true;

    private JsepBuilder(SessionDescription offer) {
        this.offer = offer;
    }

    /** An offer with one data-channel section; {@code a=setup:actpass} (RFC 8842 section 5.2). */
    public static JsepBuilder offer() {
        return new JsepBuilder(null);
    }

    /** An answer to {@code remoteOffer}; {@code a=setup} follows {@link Setup#answer()}. */
    public static JsepBuilder answer(SessionDescription remoteOffer) {
        return new JsepBuilder(Objects.requireNonNull(remoteOffer, "remoteOffer"));
    }

    /**
     * A session id as RFC 9429 section 5.2.1 recommends: 63 random bits, below 2^63 - 1.
     */
    public static long newSessionId(RandomGenerator random) {
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (id == Long.MAX_VALUE);
        return id;
    }

    /** The {@code <sess-id>} of the {@code o=} line; a random one ({@link SecureRandom}) when not set. */
    public JsepBuilder sessionId(long id) {
        if (id < 0 || id == Long.MAX_VALUE) {
            throw new IllegalArgumentException("sess-id must be from 0 to 2^63 - 2 (RFC 9429 section 5.2.1): " + id);
        }
        this.sessionId = id;
        return this;
    }

    /** The {@code <sess-version>}: 2 by default, as Chromium's first offer; later descriptions increase it. */
    public JsepBuilder sessionVersion(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("sess-version must not be negative: " + version);
        }
        this.sessionVersion = version;
        return this;
    }

    /** The local ICE username fragment and password (RFC 8839 section 5.4). */
    public JsepBuilder iceCredentials(String ufrag, String pwd) {
        this.iceUfrag = Objects.requireNonNull(ufrag, "ufrag");
        this.icePwd = Objects.requireNonNull(pwd, "pwd");
        return this;
    }

    /** Adds the fingerprint of a local certificate (RFC 8122 section 5); at least one is required. */
    public JsepBuilder fingerprint(Fingerprint fingerprint) {
        fingerprints.add(Objects.requireNonNull(fingerprint, "fingerprint"));
        return this;
    }

    /** Writes {@code a=ice-lite} (RFC 8839 section 5.3); off by default. */
    public JsepBuilder iceLite(boolean lite) {
        this.iceLite = lite;
        return this;
    }

    /** Writes {@code a=ice-options:trickle} (RFC 8840 section 4.1.1); on by default. */
    public JsepBuilder trickle(boolean trickle) {
        this.trickle = trickle;
        return this;
    }

    /**
     * Writes {@code a=extmap-allow-mixed} in an offer (RFC 8285 section 6); on by default, as Chromium writes
     * it even in data-only offers. An answer carries it when the offer does.
     */
    public JsepBuilder extmapAllowMixed(boolean allow) {
        this.extmapAllowMixed = allow;
        return this;
    }

    /** The mid of the data-channel section of an offer; "0" by default. An answer uses the offer's. */
    public JsepBuilder mid(String mid) {
        this.mid = Objects.requireNonNull(mid, "mid");
        return this;
    }

    /** {@code a=sctp-port} (RFC 8841 section 5); 5000 by default. */
    public JsepBuilder sctpPort(int port) {
        this.sctpPort = port;
        return this;
    }

    /** {@code a=max-message-size} (RFC 8841 section 6); 262,144 by default, 0 for no limit. */
    public JsepBuilder maxMessageSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative: " + size);
        }
        this.maxMessageSize = size;
        return this;
    }

    /**
     * {@code a=x-rtc4j-max-datagram}: the largest DTLS datagram this end receives, so that a peer which reads
     * it may send SCTP packets larger than the 2 KB other stacks take (see {@link MediaDescription#maxDatagram}).
     * 0 (the default) leaves the attribute out.
     */
    public JsepBuilder maxDatagram(int size) {
        if (size < 0 || size > 65_535) {
            throw new IllegalArgumentException("max datagram out of range 0..65535: " + size);
        }
        this.maxDatagram = size;
        return this;
    }

    /** Adds a candidate line; the value may carry the W3C {@code candidate:} prefix or not. */
    public JsepBuilder candidate(String candidate) {
        candidates.add(candidate.startsWith("candidate:") ? candidate.substring("candidate:".length()) : candidate);
        return this;
    }

    /** Writes {@code a=end-of-candidates} (RFC 8840 section 8.2): gathering is complete. */
    public JsepBuilder endOfCandidates(boolean end) {
        this.endOfCandidates = end;
        return this;
    }

    /**
     * The default candidate's address and port, for the {@code c=} and {@code m=} lines (RFC 8839 section
     * 4.2.1.4); until one is known they are {@code IN IP4 0.0.0.0} and port 9 (RFC 9429 section 5.2.1).
     */
    public JsepBuilder defaultCandidate(String address, int port) {
        this.defaultAddress = Objects.requireNonNull(address, "address");
        this.defaultPort = port;
        return this;
    }

    /** Overrides {@code a=setup}: an offer must say actpass, an answer active or passive (RFC 8842 section 5). */
    public JsepBuilder setup(Setup setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        return this;
    }

    /**
     * Adds the section of one transceiver. In an offer, sections come in the order added (the data section after
     * them unless {@link #dataSection()} placed it); in an answer, the section answers the offered one with the same
     * mid, and every offered audio or video section without one is rejected.
     */
    public JsepBuilder media(TransceiverSection section) {
        media.add(Objects.requireNonNull(section, "section"));
        return this;
    }

    /** Places the data-channel section of an offer here, after the media sections added so far. */
    public JsepBuilder dataSection() {
        this.dataPosition = media.size();
        this.data = true;
        return this;
    }

    /** Leaves the data-channel section out of an offer (a media-only connection). */
    public JsepBuilder noDataSection() {
        this.data = false;
        return this;
    }

    /**
     * Whether an offer writes every section after the first with port 0 and {@code a=bundle-only} (the
     * max-bundle policy, RFC 9429 section 5.2.1 and RFC 9143 section 6); on by default. Off, they repeat the
     * first one's transport attributes with port 9, as a balanced-policy offer does.
     */
    public JsepBuilder bundleOnly(boolean bundleOnly) {
        this.bundleOnly = bundleOnly;
        return this;
    }

    /**
     * The description.
     *
     * @throws IllegalStateException when credentials or a fingerprint are missing, or the offer's data
     *     section cannot be answered (its a=setup is holdconn)
     * @throws SdpParseException when the remote offer lacks what an answer needs (a mid, credentials)
     */
    public SessionDescription build() throws SdpParseException {
        if (iceUfrag == null || fingerprints.isEmpty()) {
            throw new IllegalStateException("set the ICE credentials and at least one fingerprint before building");
        }
        long id = sessionId >= 0 ? sessionId : newSessionId(new SecureRandom());
        SdpBuilder b = new SdpBuilder();
        b.line('v', "0");
        b.line('o', new Origin("-", Long.toString(id), Long.toString(sessionVersion), "IN", "IP4", "127.0.0.1").toString());
        b.line('s', "-");
        b.line('t', "0 0");
        b.flag("ice-lite", iceLite);
        if (offer == null) {
            offerSections(b);
        } else {
            answerSections(b);
        }
        return b.build();
    }

    private void offerSections(SdpBuilder b) {
        List<TransceiverSection> order = new ArrayList<>(media);
        if (data) {
            order.add(dataPosition < 0 ? order.size() : dataPosition, null); // null: the data section
        }
        List<String> bundled = new ArrayList<>();
        Set<String> mids = new HashSet<>();
        for (TransceiverSection s : order) {
            if (!mids.add(s == null ? mid : s.mid())) {
                throw new IllegalStateException("two sections with mid " + (s == null ? mid : s.mid()) + " (RFC 5888 section 4)");
            }
            if (s == null || !s.rejected()) {
                bundled.add(s == null ? mid : s.mid());
            }
        }
        if (!bundled.isEmpty()) {
            b.attribute("group", Group.BUNDLE + " " + String.join(" ", bundled));
        }
        b.flag("extmap-allow-mixed", extmapAllowMixed);
        b.attribute("msid-semantic", " WMS");
        Setup offered = setup != null ? setup : Setup.ACTPASS;
        boolean first = true;
        for (TransceiverSection s : order) {
            if (s != null && s.rejected()) {
                MediaSectionWriter.rejected(b, s.kind(), MediaSectionWriter.PROTO,
                        s.codecs().isEmpty() ? List.of("0") : s.codecs().stream().map(c -> Integer.toString(c.payloadType())).toList(),
                        s.mid());
                continue;
            }
            Place place = first ? Place.TAGGED : bundleOnly ? Place.BUNDLE_ONLY : Place.BUNDLED;
            first = false;
            if (s == null) {
                dataSection(b, mid, offered, false, place);
            } else {
                MediaSectionWriter.write(b, s, MediaSectionWriter.PROTO, place.port(this), place.connection(this),
                        () -> transport(b, offered, place == Place.TAGGED), place == Place.BUNDLE_ONLY, false);
            }
        }
    }

    /** Where a bundled section stands: it carries the transport, or shares it with port 0 or 9. */
    private enum Place {
        TAGGED, BUNDLE_ONLY, BUNDLED;

        int port(JsepBuilder j) {
            return this == TAGGED && j.defaultAddress != null ? j.defaultPort : this == BUNDLE_ONLY ? 0 : 9;
        }

        Connection connection(JsepBuilder j) {
            return this == TAGGED && j.defaultAddress != null ? Connection.of(j.defaultAddress) : Connection.UNSPECIFIED_IP4;
        }
    }

    /**
     * An answer mirrors the offer's sections in order (RFC 3264 section 6). It accepts the first data section and
     * the audio and video sections given by {@link #media}, all on one transport: those in the BUNDLE group of the
     * first accepted section, or that section alone when the offer has no group. The transport goes on the first
     * accepted mid of the group (the answerer-tagged section, RFC 9143 section 7.3.1), also when the offer gave
     * every section its own; the others get port 9 and no candidates, as Chromium answers.
     */
    private void answerSections(SdpBuilder b) throws SdpParseException {
        List<MediaDescription> offered = offer.media();
        Set<String> mids = new HashSet<>();
        for (MediaDescription m : offered) {
            if (m.mid().isPresent() && !mids.add(m.mid().get())) {
                throw new SdpParseException(m.lineNumber(), "a second section with mid " + m.mid().get() + " (RFC 5888 section 4)");
            }
        }
        int dataIndex = DataChannelParameters.dataSectionIndex(offer);
        DataChannelParameters remote = dataIndex < 0 ? null : DataChannelParameters.read(offer);
        TransceiverSection[] answers = new TransceiverSection[offered.size()];
        boolean[] accepted = new boolean[offered.size()];
        int firstAccepted = -1;
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription m = offered.get(i);
            if (i != dataIndex && m.isRtp() && !m.isRejected() && m.mid().isPresent()) {
                answers[i] = media.stream().filter(s -> s.mid().equals(m.mid().get()) && !s.rejected()).findFirst().orElse(null);
            }
            accepted[i] = i == dataIndex || answers[i] != null;
            if (accepted[i] && firstAccepted < 0) {
                firstAccepted = i;
            }
        }
        Optional<Group> group = firstAccepted < 0 ? Optional.empty()
                : offered.get(firstAccepted).mid().flatMap(offer::bundleGroupOf);
        List<String> bundled = new ArrayList<>();
        int tagged = firstAccepted;
        for (int i = 0; i < offered.size(); i++) {
            String m = offered.get(i).mid().orElse(""); // a section without a mid is in no group
            accepted[i] &= group.isPresent() ? group.get().mids().contains(m) : i == firstAccepted;
        }
        if (group.isPresent()) {
            for (String m : group.get().mids()) {
                MediaDescription section = offer.mediaByMid(m).orElse(null);
                int i = section == null ? -1 : offered.indexOf(section);
                if (i >= 0 && accepted[i] && !bundled.contains(m)) {
                    tagged = bundled.isEmpty() ? i : tagged;
                    bundled.add(m);
                }
            }
            b.attribute("group", Group.BUNDLE + " " + String.join(" ", bundled));
        }
        // RFC 8285 section 6: only when the offer allows mixing.
        b.flag("extmap-allow-mixed", offer.extmapAllowMixed());
        b.attribute("msid-semantic", " WMS");
        Setup answered = null;
        if (firstAccepted >= 0) {
            Setup offeredSetup = TransportParameters.of(offer, tagged).setup().orElse(Setup.ACTIVE); // RFC 4145 section 4
            answered = setup != null ? setup : offeredSetup.answer();
        }
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription m = offered.get(i);
            Place place = i == tagged ? Place.TAGGED : Place.BUNDLED;
            if (!accepted[i]) {
                MediaLine ml = m.mediaLine();
                MediaSectionWriter.rejected(b, ml.media(), ml.proto(), ml.formats(), m.mid().orElse(null));
            } else if (i == dataIndex) {
                dataSection(b, remote.mid(), answered, remote.legacy(), place);
            } else {
                Setup s = answered;
                MediaSectionWriter.write(b, answers[i], m.mediaLine().proto(), place.port(this), place.connection(this),
                        () -> transport(b, s, place == Place.TAGGED), false, m.extmapAllowMixed() && !offer.extmapAllowMixed());
            }
        }
    }

    /** Streams announced in a legacy {@code a=sctpmap}: what Chromium 156 answers; SCTP's INIT negotiates the real counts. */
    private static final int LEGACY_STREAMS = 65_535;

    private void dataSection(SdpBuilder b, String sectionMid, Setup sectionSetup, boolean legacy, Place place) {
        int port = place.port(this);
        b.line('m', legacy
                ? new MediaLine("application", port, 0, MediaLine.PROTO_LEGACY_DTLS_SCTP, List.of(Integer.toString(sctpPort))).toString()
                : new MediaLine("application", port, 0, MediaLine.PROTO_DTLS_SCTP,
                        List.of(MediaLine.FORMAT_WEBRTC_DATACHANNEL)).toString());
        b.line('c', place.connection(this).toString());
        transport(b, sectionSetup, place == Place.TAGGED);
        b.attribute("mid", sectionMid);
        b.flag("bundle-only", place == Place.BUNDLE_ONLY);
        if (legacy) {
            b.attribute("sctpmap", sctpPort + " " + MediaLine.FORMAT_WEBRTC_DATACHANNEL + " " + LEGACY_STREAMS);
        } else {
            b.attribute("sctp-port", Integer.toString(sctpPort));
        }
        b.attribute("max-message-size", Long.toString(maxMessageSize));
        if (maxDatagram > 0) {
            b.attribute(MediaDescription.MAX_DATAGRAM, Integer.toString(maxDatagram));
        }
    }

    /**
     * The ICE and DTLS attributes, repeated in every bundled section as browsers write them; the candidates only in
     * the section that carries the transport (RFC 9143 section 7.1).
     */
    private void transport(SdpBuilder b, Setup sectionSetup, boolean candidatesHere) {
        if (candidatesHere) {
            for (String cand : candidates) {
                b.attribute("candidate", cand);
            }
            b.flag("end-of-candidates", endOfCandidates);
        }
        b.attribute("ice-ufrag", iceUfrag);
        b.attribute("ice-pwd", icePwd);
        if (trickle) {
            b.attribute("ice-options", "trickle");
        }
        for (Fingerprint f : fingerprints) {
            b.attribute("fingerprint", f.toString());
        }
        b.attribute("setup", sectionSetup.sdpValue());
    }
}
