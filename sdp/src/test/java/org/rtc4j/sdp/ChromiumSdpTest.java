package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Real Chromium descriptions, captured for real: a page served from this test makes offers and answers
 * (a data channel plus fake-device audio and video) and posts them back; the test checks that they
 * round-trip byte for byte and read right, and that Chromium accepts the offers and answers rtc4j builds.
 * The browser plumbing here is private and small on purpose; the test kit's harness will replace it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChromiumSdpTest {

    private static final String CHROMIUM = "/usr/lib/chromium/chromium";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Map<String, CompletableFuture<String>> REPORTS = new ConcurrentHashMap<>();
    private static final Map<String, String> JAVA_SENT = new ConcurrentHashMap<>();
    /** One deadline for the whole class, so a broken page fails every test quickly rather than each after a wait. */
    private static long deadlineNanos;
    private static HttpServer server;
    private static Process chromium;
    private static Path profile;

    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>rtc4j sdp capture</title>
            <script>
            window.onerror = (message, source, line) => { fetch('/report?name=fatal', {method: 'POST', body: message + ' at line ' + line}); };
            </script>
            <script>
            const post = (name, body) => fetch('/report?name=' + name, {method: 'POST', body});
            const exchange = async (path, body) => (await fetch(path, {method: 'POST', body})).text();
            const gathered = pc => new Promise(resolve => {
              if (pc.iceGatheringState === 'complete') return resolve();
              pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
            });
            async function tryStep(name, step) {
              try { await post(name, await step()); } catch (e) { await post(name, 'ERROR ' + e); }
            }
            (async () => {
              const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
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
            })().catch(e => post('fatal', String(e)));
            </script>
            """;

    @BeforeAll
    static void startChromium() throws IOException {
        LoopbackNamespace.require();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> respond(ex, "text/html", PAGE));
        server.createContext("/report", ex -> {
            String name = ex.getRequestURI().getQuery().substring("name=".length());
            String body = body(ex);
            if (name.equals("fatal")) {
                REPORTS.values().forEach(f -> f.completeExceptionally(new AssertionError("page failed: " + body)));
            }
            report(name).complete(body);
            respond(ex, "text/plain", "ok");
        });
        server.createContext("/java-answer", ex -> {
            String offer = body(ex);
            String answer;
            try {
                answer = localBuilder(JsepBuilder.answer(SdpParser.parse(offer))).build().toString();
            } catch (SdpParseException | RuntimeException e) {
                answer = "rtc4j could not answer: " + e;
            }
            JAVA_SENT.put("answer:" + offer.hashCode(), answer);
            save("rtc4j-answer-" + (offer.contains("m=audio") ? "to-offer" : "to-dc-offer"), answer);
            respond(ex, "application/sdp", answer);
        });
        server.createContext("/java-offer", ex -> {
            body(ex);
            String offer;
            try {
                offer = localBuilder(JsepBuilder.offer())
                        .candidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0")
                        .defaultCandidate("127.0.0.1", 50000)
                        .endOfCandidates(true)
                        .build().toString();
            } catch (SdpParseException | RuntimeException e) {
                offer = "rtc4j could not offer: " + e;
            }
            JAVA_SENT.put("offer", offer);
            save("rtc4j-offer", offer);
            respond(ex, "application/sdp", offer);
        });
        server.createContext("/java-legacy-offer", ex -> {
            body(ex);
            String offer;
            try {
                // JsepBuilder offers only the standard form; the legacy one is written as deployed stacks send it.
                offer = legacy(localBuilder(JsepBuilder.offer())
                        .candidate("candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host generation 0")
                        .defaultCandidate("127.0.0.1", 50001)
                        .endOfCandidates(true)
                        .build().toString());
            } catch (SdpParseException | RuntimeException e) {
                offer = "rtc4j could not offer: " + e;
            }
            JAVA_SENT.put("legacy-offer", offer);
            save("legacy-offer", offer);
            respond(ex, "application/sdp", offer);
        });
        server.createContext("/java-media-answer", ex -> {
            String offer = body(ex);
            String answer;
            try {
                answer = mediaAnswer(SdpParser.parse(offer)).toString();
            } catch (SdpParseException | RuntimeException e) {
                answer = "rtc4j could not answer: " + e;
            }
            JAVA_SENT.put("media-answer", answer);
            JAVA_SENT.put("media-answer-offer", offer);
            save("rtc4j-media-answer", answer);
            respond(ex, "application/sdp", answer);
        });
        server.createContext("/java-media-offer", ex -> {
            body(ex);
            String offer;
            try {
                offer = mediaOffer().toString();
            } catch (SdpParseException | RuntimeException e) {
                offer = "rtc4j could not offer: " + e;
            }
            JAVA_SENT.put("media-offer", offer);
            save("rtc4j-media-offer", offer);
            respond(ex, "application/sdp", offer);
        });
        server.start();

        profile = Files.createTempDirectory("rtc4j-sdp-chromium");
        deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        chromium = new ProcessBuilder(CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection", "--user-data-dir=" + profile, "--remote-debugging-port=0", url)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
    }

    @AfterAll
    static void stopChromium() throws IOException, InterruptedException {
        if (chromium != null) {
            chromium.descendants().forEach(ProcessHandle::destroy);
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (server != null) {
            server.stop(0);
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JsepBuilder localBuilder(JsepBuilder b) {
        byte[] digest = new byte[32];
        RANDOM.nextBytes(digest);
        return b.iceCredentials(iceChars(8), iceChars(24)).fingerprint(new Fingerprint("sha-256", digest));
    }

    private static String iceChars(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static CompletableFuture<String> report(String name) {
        return REPORTS.computeIfAbsent(name, k -> new CompletableFuture<>());
    }

    /** Waits for a report from the page; saves it under target/ so captures can be refreshed by hand. */
    private static String awaitReport(String name) throws Exception {
        String text;
        try {
            text = report(name).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            String log = String.join("\n", Files.readAllLines(profile.resolve("chromium.log")).stream()
                    .filter(l -> !l.contains("dbus")).toList());
            throw new AssertionError("no '" + name + "' from the page within 60 s of Chromium's start; Chromium log: "
                    + log.substring(Math.max(0, log.length() - 4000)));
        } catch (java.util.concurrent.ExecutionException e) {
            throw (AssertionError) e.getCause();
        }
        save(name, text);
        return text;
    }

    private static void save(String name, String text) throws IOException {
        Path dir = Path.of("target", "captured-sdp");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".sdp"), text);
    }

    private static String body(HttpExchange ex) throws IOException {
        return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange ex, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
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

    private static final String STREAM = "rtc4j-stream";

    /** Our answer to a Chromium offer: every audio and video section accepted sendrecv, sending one stream each. */
    private static SessionDescription mediaAnswer(SessionDescription offer) throws SdpParseException {
        JsepBuilder b = localBuilder(JsepBuilder.answer(offer));
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
        return localBuilder(JsepBuilder.offer())
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
        Map<String, String[]> out = new java.util.TreeMap<>();
        report.lines().filter(l -> l.contains("|")).forEach(l -> out.put(l.split("\\|", -1)[0], l.split("\\|", -1)));
        return out;
    }

    @Test
    void chromiumAcceptsOurMediaAnswerAndReceivesOurTracks() throws Exception {
        String report = awaitReport("java-media-answer-result");
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
        MediaDescription video = answer.mediaByMid(section(offer, "video").mid().orElseThrow()).orElseThrow();
        assertThat(video.codecs()).anySatisfy(c -> assertThat(c.is("VP8")).isTrue())
                .anySatisfy(c -> assertThat(c.isRtx()).isTrue());
        assertThat(answer.groups()).singleElement().satisfies(g -> assertThat(g.mids()).hasSize(3));
    }

    @Test
    void chromiumAnswersOurMediaOfferAndItReadsBackNegotiated() throws Exception {
        String text = awaitReport("media-answer");
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
        assertThat(awaitReport("media-answer-api")).contains("audio " + STREAM).contains("video " + STREAM);
    }

    private static MediaDescription section(SessionDescription sd, String media) {
        return sd.media().stream().filter(m -> m.mediaLine().media().equals(media)).findFirst().orElseThrow();
    }
}
