package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real Chromium descriptions, captured for real: a page served from this test makes offers and answers
 * (a data channel plus fake-device audio and video) and posts them back; the test checks that they
 * round-trip byte for byte and read right, and that Chromium accepts the offers and answers rtc4j builds.
 * {@link ChromiumMediaSdpTest} does the same for audio and video sections.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChromiumSdpTest {

    private static final Map<String, String> JAVA_SENT = new ConcurrentHashMap<>();
    private static ChromiumPage page;

    /** The page's steps, run in order after getUserMedia gave {@code stream} (see {@link ChromiumPage}). */
    private static final String STEPS = """
              // Chromium's offer: data channel, audio, video; every candidate gathered.
              const certificate = await RTCPeerConnection.generateCertificate({name: 'ECDSA', namedCurve: 'P-256'});
              const pc1 = new RTCPeerConnection({certificates: [certificate]});
              const truth = certificate.getFingerprints().map(f => 'fingerprint ' + f.algorithm + ' ' + f.value);
              pc1.addEventListener('icecandidate', e => {
                if (e.candidate && e.candidate.candidate) truth.push('candidate ' + e.candidate.sdpMid + ' ' + e.candidate.candidate);
              });
              pc1.createDataChannel('chat');
              stream.getTracks().forEach(t => pc1.addTrack(t, stream));
              await pc1.setLocalDescription(await pc1.createOffer());
              await gathered(pc1);
              await post('offer', pc1.localDescription.sdp);
              await post('offer-truth', truth.join('\\n'));
              // Chromium's answer to it, sending audio and video back.
              const pc2 = new RTCPeerConnection();
              await pc2.setRemoteDescription(pc1.localDescription);
              stream.getTracks().forEach(t => pc2.addTrack(t.clone(), stream));
              await pc2.setLocalDescription(await pc2.createAnswer());
              await gathered(pc2);
              await post('answer', pc2.localDescription.sdp);
              // rtc4j's answer to Chromium's full offer: data accepted, audio and video rejected.
              await tryStep('java-answer-to-offer', async () => {
                await pc1.setRemoteDescription({type: 'answer', sdp: await exchange('/java-answer', pc1.localDescription.sdp)});
                return pc1.signalingState;
              });
              // A data-only offer, and rtc4j's answer to it.
              const pc3 = new RTCPeerConnection();
              pc3.createDataChannel('data');
              await pc3.setLocalDescription(await pc3.createOffer());
              await gathered(pc3);
              await post('dc-offer', pc3.localDescription.sdp);
              await tryStep('java-answer-to-dc-offer', async () => {
                await pc3.setRemoteDescription({type: 'answer', sdp: await exchange('/java-answer', pc3.localDescription.sdp)});
                return pc3.signalingState + ' ' + pc3.sctp.maxMessageSize;
              });
              // rtc4j's offer, and Chromium's answer to it.
              await tryStep('dc-answer', async () => {
                const pc4 = new RTCPeerConnection();
                await pc4.setRemoteDescription({type: 'offer', sdp: await exchange('/java-offer', '')});
                await pc4.setLocalDescription(await pc4.createAnswer());
                await gathered(pc4);
                return pc4.localDescription.sdp;
              });
              // A legacy offer (draft-ietf-mmusic-sctp-sdp-05 form), and Chromium's answer to it.
              await tryStep('legacy-answer', async () => {
                const pc5 = new RTCPeerConnection();
                await pc5.setRemoteDescription({type: 'offer', sdp: await exchange('/java-legacy-offer', '')});
                await pc5.setLocalDescription(await pc5.createAnswer());
                await gathered(pc5);
                return pc5.localDescription.sdp;
              });
            """;

    @BeforeAll
    static void startChromium() throws IOException {
        page = new ChromiumPage("rtc4j sdp capture", STEPS)
                .serve("/java-answer", offer -> {
                    String answer = localBuilder(JsepBuilder.answer(SdpParser.parse(offer))).build().toString();
                    JAVA_SENT.put("answer:" + offer.hashCode(), answer);
                    return answer;
                })
                .serve("/java-offer", ignored -> {
                    String offer = localBuilder(JsepBuilder.offer())
                            .candidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0")
                            .defaultCandidate("127.0.0.1", 50000)
                            .endOfCandidates(true)
                            .build().toString();
                    JAVA_SENT.put("offer", offer);
                    return offer;
                })
                .serve("/java-legacy-offer", ignored -> {
                    // JsepBuilder offers only the standard form; the legacy one is written as deployed stacks send it.
                    String offer = legacy(localBuilder(JsepBuilder.offer())
                            .candidate("candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host generation 0")
                            .defaultCandidate("127.0.0.1", 50001)
                            .endOfCandidates(true)
                            .build().toString());
                    JAVA_SENT.put("legacy-offer", offer);
                    return offer;
                })
                .open();
    }

    @AfterAll
    static void stopChromium() throws IOException, InterruptedException {
        if (page != null) {
            page.close();
        }
    }

    private static JsepBuilder localBuilder(JsepBuilder b) {
        return ChromiumPage.withLocalIdentity(b);
    }

    private static String awaitReport(String name) throws Exception {
        return page.await(name);
    }

    @Test
    void chromiumOfferRoundTripsAndReads() throws Exception {
        String text = awaitReport("offer");
        SessionDescription sd = SdpParser.parse(text);
        assertThat(sd.toString()).isEqualTo(text);
        assertThat(text).contains("\r\n");

        assertThat(sd.origin().username()).isEqualTo("-");
        assertThat(sd.sessionName()).isEqualTo("-");
        assertThat(sd.extmapAllowMixed()).isTrue();
        assertThat(sd.msidSemantic()).map(MsidSemantic::semantic).contains("WMS");
        assertThat(sd.media()).extracting(m -> m.mediaLine().media()).containsExactlyInAnyOrder("audio", "video", "application");
        List<String> mids = sd.media().stream().map(m -> m.mid().orElseThrow()).toList();
        assertThat(sd.groups()).singleElement().satisfies(g -> {
            assertThat(g.isBundle()).isTrue();
            assertThat(g.mids()).isEqualTo(mids);
        });

        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(sd.media().get(p.mediaIndex()).isDataChannel()).isTrue();
        assertThat(p.setup()).contains(Setup.ACTPASS);
        assertThat(p.sctpPort()).isEqualTo(5000);
        assertThat(p.maxMessageSize()).isEqualTo(262_144);
        assertThat(p.trickle()).isTrue();
        assertThat(p.iceLite()).isFalse();
        assertThat(p.iceUfrag()).hasSizeBetween(4, 256);
        assertThat(p.icePwd()).hasSizeBetween(22, 256);
        assertThat(p.fingerprints()).singleElement().satisfies(f -> {
            assertThat(f.hashFunction()).isEqualTo("sha-256");
            assertThat(f.digest()).hasSize(32);
            assertThat(text).contains("a=fingerprint:" + f);
        });
        assertThat(p.candidates()).isNotEmpty().anySatisfy(c -> assertThat(c).contains("127.0.0.1").contains("typ host"));

        for (MediaDescription m : sd.media()) {
            // Every bundled section repeats the transport attributes; the typed reads agree with the text.
            assertThat(m.iceUfrag()).contains(p.iceUfrag());
            assertThat(m.icePwd()).contains(p.icePwd());
            assertThat(text).contains("a=ice-ufrag:" + p.iceUfrag() + "\r\n");
        }
        MediaDescription audio = section(sd, "audio");
        MediaDescription video = section(sd, "video");
        for (MediaDescription m : List.of(audio, video)) {
            assertThat(m.mediaLine().proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.direction()).contains(Direction.SENDRECV);
            assertThat(m.attributes("rtpmap")).isNotEmpty();
            assertThat(m.attributes("ssrc")).isNotEmpty();
            assertThat(m.attributes("msid")).isNotEmpty();
            assertThat(m.attributes("extmap")).isNotEmpty();
            assertThat(m.attributes("rtpmap")).extracting(a -> a.value().split(" ")[0])
                    .isEqualTo(m.mediaLine().formats());
        }
        assertThat(audio.attributeValues("rtpmap")).anySatisfy(v -> assertThat(v).endsWith(" opus/48000/2"));
        assertThat(video.attributeValues("rtpmap")).anySatisfy(v -> assertThat(v).endsWith(" VP8/90000"));
        assertThat(video.attributes("rtcp-fb")).isNotEmpty();
    }

    /** What the page learnt from Chromium's API, not from the SDP: certificate fingerprints, candidate events. */
    @Test
    void typedReadsAgreeWithChromiumsApi() throws Exception {
        SessionDescription sd = SdpParser.parse(awaitReport("offer"));
        List<String> truth = awaitReport("offer-truth").lines().toList();
        List<String> fingerprints = truth.stream().filter(l -> l.startsWith("fingerprint ")).map(l -> l.substring(12)).toList();
        assertThat(fingerprints).hasSize(1);
        for (MediaDescription m : sd.media()) {
            assertThat(m.fingerprints()).singleElement().satisfies(f -> assertThat(f.hashFunction() + " " + f.hex().toLowerCase(java.util.Locale.ROOT))
                    .isEqualTo(fingerprints.get(0)));
            String mid = m.mid().orElseThrow();
            List<String> events = truth.stream().filter(l -> l.startsWith("candidate " + mid + " "))
                    .map(l -> l.substring(("candidate " + mid + " ").length())).toList();
            // Chromium's events name the ICE ufrag inside the candidate; its SDP leaves it out.
            String ufragPart = " ufrag " + m.iceUfrag().orElseThrow() + " ";
            assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e).contains(ufragPart));
            assertThat(m.candidates()).extracting(c -> "candidate:" + c)
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.replace(ufragPart, " ")).toList());
        }
        assertThat(DataChannelParameters.read(sd).candidates()).isNotEmpty();
    }

    @Test
    void chromiumAnswerRoundTripsAndReads() throws Exception {
        SessionDescription offer = SdpParser.parse(awaitReport("offer"));
        String text = awaitReport("answer");
        SessionDescription sd = SdpParser.parse(text);
        assertThat(sd.toString()).isEqualTo(text);
        assertThat(sd.media()).extracting(m -> m.mid().orElseThrow())
                .isEqualTo(offer.media().stream().map(m -> m.mid().orElseThrow()).toList());

        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.setup()).contains(Setup.ACTIVE);
        assertThat(Setup.localRole(p.setup().orElseThrow(), false)).contains(DtlsRole.CLIENT);
        assertThat(Setup.localRole(p.setup().orElseThrow(), true)).contains(DtlsRole.SERVER);
        assertThat(p.maxMessageSize()).isEqualTo(262_144);
        assertThat(p.candidates()).isNotEmpty();
        assertThat(p.iceUfrag()).isNotEqualTo(DataChannelParameters.read(offer).iceUfrag());
    }

    @Test
    void chromiumAcceptsOurAnswerToItsFullOffer() throws Exception {
        String offer = awaitReport("offer");
        assertThat(awaitReport("java-answer-to-offer")).isEqualTo("stable");
        SessionDescription answer = SdpParser.parse(JAVA_SENT.get("answer:" + offer.hashCode()));
        SessionDescription sdOffer = SdpParser.parse(offer);
        assertThat(answer.media()).hasSameSizeAs(sdOffer.media());
        for (int i = 0; i < answer.media().size(); i++) {
            MediaDescription a = answer.media().get(i);
            assertThat(a.mid()).isEqualTo(sdOffer.media().get(i).mid());
            assertThat(a.isRejected()).isEqualTo(!a.isDataChannel());
        }
    }

    @Test
    void chromiumAcceptsOurAnswerToItsDataChannelOffer() throws Exception {
        String offer = awaitReport("dc-offer");
        SessionDescription sd = SdpParser.parse(offer);
        assertThat(sd.toString()).isEqualTo(offer);
        assertThat(sd.media()).singleElement().satisfies(m -> assertThat(m.isDataChannel()).isTrue());
        // Chromium reports the remote max-message-size (ours: 262,144) once it has our answer.
        assertThat(awaitReport("java-answer-to-dc-offer")).isEqualTo("stable 262144");
    }

    @Test
    void chromiumAnswersOurOffer() throws Exception {
        String text = awaitReport("dc-answer");
        assertThat(text).startsWith("v=0\r\n");
        SessionDescription answer = SdpParser.parse(text);
        assertThat(answer.toString()).isEqualTo(text);
        SessionDescription ourOffer = SdpParser.parse(JAVA_SENT.get("offer"));
        DataChannelParameters ours = DataChannelParameters.read(ourOffer);
        DataChannelParameters theirs = DataChannelParameters.read(answer);
        assertThat(theirs.mid()).isEqualTo(ours.mid()).isEqualTo("0");
        assertThat(theirs.setup()).contains(Setup.ACTIVE);
        assertThat(Setup.localRole(theirs.setup().orElseThrow(), true)).contains(DtlsRole.SERVER);
        assertThat(theirs.sctpPort()).isEqualTo(5000);
        assertThat(theirs.candidates()).isNotEmpty();
        assertThat(answer.groups()).singleElement().satisfies(g -> assertThat(g.mids()).containsExactly("0"));
    }

    /** A standard data-channel offer rewritten into the form of draft-ietf-mmusic-sctp-sdp-05. */
    private static String legacy(String offer) {
        return offer.replace(" UDP/DTLS/SCTP webrtc-datachannel", " DTLS/SCTP 5000")
                .replace("a=sctp-port:5000\r\n", "a=sctpmap:5000 webrtc-datachannel 1024\r\n");
    }

    @Test
    void aLegacyOfferIsAnsweredInItsOwnFormByChromiumAndByUs() throws Exception {
        String text = awaitReport("legacy-answer");
        assertThat(text).as("Chromium accepted the legacy offer").startsWith("v=0\r\n");
        SessionDescription chromium = SdpParser.parse(text);
        MediaDescription theirs = chromium.media().get(0);
        assertThat(theirs.isLegacyDataChannel()).as(text).isTrue();
        assertThat(DataChannelParameters.read(chromium).sctpPort()).isEqualTo(5000);

        SessionDescription legacyOffer = SdpParser.parse(JAVA_SENT.get("legacy-offer"));
        MediaDescription ours = localBuilder(JsepBuilder.answer(legacyOffer)).build().media().get(0);
        assertThat(ours.mediaLine().proto()).isEqualTo(theirs.mediaLine().proto());
        assertThat(ours.mediaLine().formats()).isEqualTo(theirs.mediaLine().formats());
        assertThat(ours.attributeValues("sctpmap")).isEqualTo(theirs.attributeValues("sctpmap"));
        assertThat(ours.hasAttribute("sctp-port")).isEqualTo(theirs.hasAttribute("sctp-port")).isFalse();
    }

    private static MediaDescription section(SessionDescription sd, String media) {
        return sd.media().stream().filter(m -> m.mediaLine().media().equals(media)).findFirst().orElseThrow();
    }
}
