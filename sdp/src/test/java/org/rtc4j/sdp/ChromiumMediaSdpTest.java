package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audio and video sections against real Chromium: our answer to its audio, video and data offer is accepted and
 * its API then shows the directions, codecs, extension ids and streams we wrote; its answer to our max-bundle
 * media offer reads back with what we offered; and across renegotiations it follows a stopped transceiver's
 * rejected m-line and a new transceiver recycling it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChromiumMediaSdpTest {

    private static final Map<String, String> JAVA_SENT = new ConcurrentHashMap<>();
    private static ChromiumPage page;

    /** The page's steps, run in order after getUserMedia gave {@code stream} (see {@link ChromiumPage}). */
    private static final String STEPS = """
              // rtc4j's answer with audio and video to a full offer: what Chromium's API then says.
              const trackEvents = pc => { const t = []; pc.addEventListener('track', e => t.push(e.track.kind + ' ' + e.streams.map(s => s.id).join(','))); return t; };
              const describe = pc => pc.getTransceivers().map(x => [x.mid, x.receiver.track.kind, x.currentDirection,
                  x.sender.getParameters().codecs.map(c => c.mimeType + ' ' + c.payloadType + (c.sdpFmtpLine ? ' ' + c.sdpFmtpLine : '')).join(','),
                  x.sender.getParameters().headerExtensions.map(h => h.id + ' ' + h.uri).join(',')].join('|'));
              await tryStep('java-media-answer-result', async () => {
                const pc6 = new RTCPeerConnection();
                const tracks = trackEvents(pc6);
                pc6.createDataChannel('chat');
                stream.getTracks().forEach(t => pc6.addTrack(t, stream));
                await pc6.setLocalDescription(await pc6.createOffer());
                await gathered(pc6);
                await pc6.setRemoteDescription({type: 'answer', sdp: await exchange('/java-media-answer', pc6.localDescription.sdp)});
                return [pc6.signalingState, 'tracks:' + tracks.join(';'), ...describe(pc6)].join('\\n');
              });
              // rtc4j's media offer, and Chromium's answer to it, sending its camera and microphone back.
              await tryStep('media-answer', async () => {
                const pc7 = new RTCPeerConnection();
                const tracks = trackEvents(pc7);
                await pc7.setRemoteDescription({type: 'offer', sdp: await exchange('/java-media-offer', '')});
                for (const tr of pc7.getTransceivers()) {
                  await tr.sender.replaceTrack(stream.getTracks().find(t => t.kind === tr.receiver.track.kind));
                  tr.sender.setStreams(stream);
                  tr.direction = 'sendrecv';
                }
                await pc7.setLocalDescription(await pc7.createAnswer());
                await gathered(pc7);
                await post('media-answer-api', ['tracks:' + tracks.join(';'), ...describe(pc7)].join('\\n'));
                return pc7.localDescription.sdp;
              });
              // max-compat: each section with its own transport; rtc4j's answer bundles them on the first one.
              await tryStep('max-compat', async () => {
                const pc10 = new RTCPeerConnection({bundlePolicy: 'max-compat'});
                pc10.createDataChannel('chat');
                stream.getTracks().forEach(t => pc10.addTrack(t, stream));
                await pc10.setLocalDescription(await pc10.createOffer());
                await gathered(pc10);
                await pc10.setRemoteDescription({type: 'answer', sdp: await exchange('/java-max-compat-answer', pc10.localDescription.sdp)});
                const [a, v] = pc10.getTransceivers();
                return [pc10.signalingState, a.currentDirection, v.currentDirection, a.sender.transport === v.sender.transport,
                    a.sender.transport === pc10.sctp.transport].join(' ');
              });
              // Chromium sends simulcast (two rids); rtc4j's answer accepts it: the sender keeps both encodings.
              await tryStep('simulcast', async () => {
                const pc9 = new RTCPeerConnection();
                pc9.addTransceiver(stream.getVideoTracks()[0], {sendEncodings: [{rid: 'h'}, {rid: 'l', scaleResolutionDownBy: 2}]});
                await pc9.setLocalDescription(await pc9.createOffer());
                await pc9.setRemoteDescription({type: 'answer', sdp: await exchange('/java-simulcast-answer', pc9.localDescription.sdp)});
                return pc9.signalingState + ' ' + pc9.getTransceivers()[0].sender.getParameters().encodings.map(e => e.rid).join(',');
              });
              // rtc4j's offers across renegotiations: audio and video; audio stopped; its m-line recycled by new video.
              await tryStep('renegotiation', async () => {
                const pc8 = new RTCPeerConnection();
                const steps = [];
                for (let i = 1; i <= 3; i++) {
                  await pc8.setRemoteDescription({type: 'offer', sdp: await exchange('/java-offer-' + i, '')});
                  await pc8.setLocalDescription(await pc8.createAnswer());
                  await post('renegotiation-answer-' + i, pc8.localDescription.sdp);
                  steps.push(pc8.getTransceivers().map(x => x.mid + ' ' + x.receiver.track.kind + ' ' + x.currentDirection).join(','));
                }
                return steps.join('\\n');
              });
            """;

    @BeforeAll
    static void startChromium() throws IOException {
        page = new ChromiumPage("rtc4j media sdp", STEPS)
                .serve("/java-media-answer", offer -> {
                    String answer = mediaAnswer(SdpParser.parse(offer)).toString();
                    JAVA_SENT.put("media-answer", answer);
                    JAVA_SENT.put("media-answer-offer", offer);
                    return answer;
                })
                .serve("/java-max-compat-answer", offer -> {
                    JAVA_SENT.put("max-compat-offer", offer);
                    return mediaAnswer(SdpParser.parse(offer)).toString();
                })
                .serve("/java-simulcast-answer", offer -> {
                    String answer = mediaAnswer(SdpParser.parse(offer)).toString();
                    JAVA_SENT.put("simulcast-offer", offer);
                    JAVA_SENT.put("simulcast-answer", answer);
                    return answer;
                })
                .serve("/java-media-offer", ignored -> {
                    String offer = mediaOffer().toString();
                    JAVA_SENT.put("media-offer", offer);
                    return offer;
                });
        for (int i = 1; i <= 3; i++) {
            int n = i;
            page.serve("/java-offer-" + n, ignored -> {
                String offer = renegotiationOffer(n).toString();
                JAVA_SENT.put("offer-" + n, offer);
                return offer;
            });
        }
        page.open();
    }

    @AfterAll
    static void stopChromium() throws IOException, InterruptedException {
        if (page != null) {
            page.close();
        }
    }

    private static final String STREAM = "rtc4j-stream";

    /** Our answer to a Chromium offer: every audio and video section accepted sendrecv, sending one stream each. */
    private static SessionDescription mediaAnswer(SessionDescription offer) throws SdpParseException {
        JsepBuilder b = ChromiumPage.withLocalIdentity(JsepBuilder.answer(offer));
        long ssrc = 1000;
        for (MediaDescription m : offer.media()) {
            if (m.isRtp()) {
                b.media(TransceiverSection.answer(offer, m, Direction.SENDRECV, RtpCapabilities.defaults(m.kind()), false)
                        .withTrack("rtc4j-" + m.kind(), List.of(STREAM))
                        .withSendStreams(List.of(new TransceiverSection.SendStream(++ssrc, m.kind().equals("video") ? ++ssrc : -1, "rtc4j"))));
            }
        }
        return b.build();
    }

    /** Our media offer: audio and video sendrecv with the default capabilities, then data, max-bundle. */
    private static SessionDescription mediaOffer() throws SdpParseException {
        return ChromiumPage.withLocalIdentity(JsepBuilder.offer())
                .media(TransceiverSection.offer("0", "audio", Direction.SENDRECV, RtpCapabilities.defaultAudio())
                        .withTrack("rtc4j-audio", List.of(STREAM))
                        .withSendStreams(List.of(new TransceiverSection.SendStream(11_111_111, -1, "rtc4j"))))
                .media(TransceiverSection.offer("1", "video", Direction.SENDRECV, RtpCapabilities.defaultVideo())
                        .withTrack("rtc4j-video", List.of(STREAM))
                        .withSendStreams(List.of(new TransceiverSection.SendStream(22_222_222, 33_333_333, "rtc4j"))))
                .mid("2")
                .candidate("candidate:1 1 udp 2122260223 127.0.0.1 50002 typ host generation 0")
                .defaultCandidate("127.0.0.1", 50002)
                .endOfCandidates(true)
                .build();
    }

    /** Chromium's transceivers as the page described them: mid, kind, currentDirection, sender codecs, extensions. */
    private static Map<String, String[]> transceivers(String report) {
        Map<String, String[]> out = new TreeMap<>();
        report.lines().filter(l -> l.contains("|")).forEach(l -> out.put(l.split("\\|", -1)[0], l.split("\\|", -1)));
        return out;
    }

    @Test
    void chromiumAcceptsOurMediaAnswerAndReceivesOurTracks() throws Exception {
        String report = page.await("java-media-answer-result");
        assertThat(report).as(JAVA_SENT.get("media-answer")).startsWith("stable\n");
        // Chromium read our a=msid: a track event per section, in our stream
        assertThat(report.lines().filter(l -> l.startsWith("tracks:")).findFirst().orElseThrow())
                .contains("audio " + STREAM).contains("video " + STREAM);
        SessionDescription offer = SdpParser.parse(JAVA_SENT.get("media-answer-offer"));
        SessionDescription answer = SdpParser.parse(JAVA_SENT.get("media-answer"));
        Map<String, String[]> t = transceivers(report);
        assertThat(t).hasSize(2);
        for (String[] x : t.values()) {
            assertThat(x[2]).as("currentDirection of " + x[1]).isEqualTo("sendrecv");
            MediaDescription ours = answer.mediaByMid(x[0]).orElseThrow();
            assertThat(ours.kind()).isEqualTo(x[1]);
            // what Chromium will send with: the codecs we answered, with the offer's payload types
            for (RtpCodecParameters c : ours.codecs()) {
                assertThat(x[3]).contains(c.mimeType(ours.kind()) + " " + c.payloadType());
            }
            // the extensions it sends are among those we answered (it leaves out the ones it does not use, toffset)
            assertThat(x[4].split(",")).contains("4 " + HeaderExtension.SDES_MID)
                    .allSatisfy(e -> assertThat(ours.headerExtensions()).extracting(h -> h.id() + " " + h.uri()).contains(e));
        }
        MediaDescription video = answer.media().stream().filter(m -> m.kind().equals("video")).findFirst().orElseThrow();
        assertThat(video.codecs()).anySatisfy(c -> assertThat(c.is("VP8")).isTrue())
                .anySatisfy(c -> assertThat(c.isRtx()).isTrue());
        assertThat(answer.groups()).singleElement().satisfies(g -> assertThat(g.mids()).hasSize(3));
    }

    @Test
    void chromiumAnswersOurMediaOfferAndItReadsBackNegotiated() throws Exception {
        String text = page.await("media-answer");
        assertThat(text).as("Chromium accepted our media offer: " + JAVA_SENT.get("media-offer")).startsWith("v=0\r\n");
        SessionDescription answer = SdpParser.parse(text);
        assertThat(answer.toString()).isEqualTo(text);
        SessionDescription offer = SdpParser.parse(JAVA_SENT.get("media-offer"));
        assertThat(answer.groups()).singleElement().satisfies(g -> assertThat(g.mids()).containsExactly("0", "1", "2"));
        assertThat(TransportParameters.read(answer).mid()).isEqualTo("0");
        assertThat(TransportParameters.read(answer).setup()).contains(Setup.ACTIVE);
        assertThat(DataChannelParameters.read(answer).mid()).isEqualTo("2");

        MediaDescription audio = answer.mediaByMid("0").orElseThrow();
        MediaDescription video = answer.mediaByMid("1").orElseThrow();
        for (MediaDescription m : List.of(audio, video)) {
            MediaDescription ours = offer.mediaByMid(m.mid().orElseThrow()).orElseThrow();
            assertThat(answer.directionOf(m)).isEqualTo(Direction.SENDRECV);
            List<RtpCodecParameters> accepted = CodecNegotiation.accepted(ours.codecs(), m.codecs());
            assertThat(accepted).as("Chromium answers only codecs we offered").isEqualTo(m.codecs());
            assertThat(ExtensionNegotiation.accepted(ours.headerExtensions(), m.headerExtensions()))
                    .isEqualTo(m.headerExtensions()).isNotEmpty();
            for (HeaderExtension e : m.headerExtensions()) {
                assertThat(ours.headerExtensions()).as("our ids").contains(e);
            }
            assertThat(m.msids()).singleElement().satisfies(id -> assertThat(id.trackId()).isNotEmpty());
            assertThat(m.ssrcIds()).isNotEmpty();
            assertThat(m.rtcpMux()).isTrue();
        }
        assertThat(audio.codecs().get(0)).satisfies(c -> {
            assertThat(c.payloadType()).isEqualTo(111);
            assertThat(c.is("opus")).isTrue();
            assertThat(c.channels()).isEqualTo(2);
        });
        assertThat(audio.codecs()).extracting(RtpCodecParameters::name).contains("telephone-event");
        List<RtpCodecParameters> v = video.codecs();
        assertThat(v.get(0)).satisfies(c -> assertThat(c.payloadType() + " " + c.name()).isEqualTo("96 VP8"));
        assertThat(v).anySatisfy(c -> assertThat(c.payloadType() + " " + c.sdpFmtpLine()).isEqualTo("97 apt=96"));
        assertThat(v).allSatisfy(c -> assertThat(c.payloadType()).isIn(offer.mediaByMid("1").orElseThrow().codecs()
                .stream().map(RtpCodecParameters::payloadType).toList()));
        assertThat(v.get(0).rtcpFeedback()).contains(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI, RtcpFeedback.CCM_FIR);
        long primary = video.ssrcGroups().stream().filter(g -> g.semantics().equals("FID")).findFirst().orElseThrow().ssrcs().get(0);
        assertThat(video.rtxSsrcOf(primary)).isPositive();
        // Chromium read our a=msid: a track event per section, in our stream
        assertThat(page.await("media-answer-api")).contains("audio " + STREAM).contains("video " + STREAM);
    }

    @Test
    void aMaxCompatOfferWithATransportPerSectionIsBundledOnTheFirst() throws Exception {
        String result = page.await("max-compat");
        SessionDescription offer = SdpParser.parse(JAVA_SENT.get("max-compat-offer"));
        // Chromium's max-compat offer gives each section its own candidates and port
        assertThat(offer.media()).extracting(m -> m.mediaLine().port()).doesNotHaveDuplicates();
        assertThat(offer.media()).allSatisfy(m -> assertThat(m.candidates()).isNotEmpty());
        // our answer puts all three on one transport, and Chromium uses one transport for them
        assertThat(result).isEqualTo("stable sendrecv sendrecv true true");
    }

    @Test
    void ourAnswerAcceptsChromiumsSimulcast() throws Exception {
        String result = page.await("simulcast");
        assertThat(result).as(JAVA_SENT.get("simulcast-answer")).isEqualTo("stable h,l");
        MediaDescription offered = SdpParser.parse(JAVA_SENT.get("simulcast-offer")).media().get(0);
        assertThat(offered.rids()).extracting(Rid::id).containsExactly("h", "l");
        assertThat(offered.simulcast().orElseThrow().send()).hasSize(2);
        MediaDescription answered = SdpParser.parse(JAVA_SENT.get("simulcast-answer")).media().get(0);
        assertThat(answered.rids()).extracting(r -> r.id() + " " + r.send()).containsExactly("h false", "l false");
        assertThat(answered.simulcast().orElseThrow().toString()).isEqualTo("recv h;l");
        assertThat(answered.headerExtensions()).extracting(HeaderExtension::uri).contains(HeaderExtension.RTP_STREAM_ID);
    }

    /** One identity across the renegotiations: the ICE credentials and certificate of one connection. */
    private static final String UFRAG = ChromiumPage.iceChars(8);
    private static final String PWD = ChromiumPage.iceChars(24);
    private static final Fingerprint FINGERPRINT = new Fingerprint("sha-256", ChromiumPage.iceChars(32).getBytes());

    private static TransceiverSection sending(String mid, String kind, long ssrc, long rtx) {
        return TransceiverSection.offer(mid, kind, Direction.SENDRECV, RtpCapabilities.defaults(kind))
                .withTrack("rtc4j-" + mid, List.of(STREAM))
                .withSendStreams(List.of(new TransceiverSection.SendStream(ssrc, rtx, "rtc4j")));
    }

    /** 1: audio 0, video 1, data 2. 2: audio 0 stopped. 3: new video 3 in the stopped section's place. */
    private static SessionDescription renegotiationOffer(int n) throws SdpParseException {
        JsepBuilder b = JsepBuilder.offer().sessionId(77).sessionVersion(1 + n).iceCredentials(UFRAG, PWD)
                .fingerprint(FINGERPRINT).mid("2").candidate("1 1 udp 2122260223 127.0.0.1 50003 typ host")
                .defaultCandidate("127.0.0.1", 50003);
        TransceiverSection audio = sending("0", "audio", 101, -1);
        b.media(switch (n) {
            case 1 -> audio;
            case 2 -> audio.asStopped();
            default -> sending("3", "video", 301, 302);
        });
        return b.media(sending("1", "video", 201, 202)).build();
    }

    @Test
    void chromiumFollowsAStoppedTransceiverAndARecycledMLine() throws Exception {
        String steps = page.await("renegotiation");
        assertThat(steps).as(JAVA_SENT.toString()).doesNotStartWith("ERROR");
        List<String> lines = steps.lines().toList();
        assertThat(lines).hasSize(3);
        // Chromium has no track to send here, so it receives only
        assertThat(lines.get(0)).isEqualTo("0 audio recvonly,1 video recvonly");
        SessionDescription second = SdpParser.parse(page.await("renegotiation-answer-2"));
        assertThat(second.media().get(0).isRejected()).isTrue();
        assertThat(second.groups()).singleElement().satisfies(g -> assertThat(g.mids()).containsExactly("1", "2"));
        assertThat(TransportParameters.read(second).mid()).isEqualTo("1");
        assertThat(lines.get(1)).as("the stopped transceiver is gone").isEqualTo("1 video recvonly");
        SessionDescription third = SdpParser.parse(page.await("renegotiation-answer-3"));
        assertThat(third.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("3", "1", "2");
        assertThat(third.media().get(0).kind()).isEqualTo("video");
        assertThat(third.media().get(0).isRejected()).isFalse();
        assertThat(third.groups()).singleElement().satisfies(g -> assertThat(g.mids()).containsExactly("3", "1", "2"));
        assertThat(lines.get(2)).isEqualTo("1 video recvonly,3 video recvonly");
    }
}
