package org.rtc4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.rtc4j.LoopPlayer;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpCodec;
import org.rtc4j.RTCRtpCodecParameters;
import org.rtc4j.RTCRtpSender;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.RTCRtpTransceiverInit;
import org.rtc4j.RTCStats;
import org.rtc4j.RTCStatsReport;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The media scenario of {@code ./rtc4j peer offer} (issue 17): one audio and one video transceiver, both
 * sendrecv; once connected, the Opus tone and the test pattern (or a file's frames, unchanged) are sent in
 * real time, and what the answerer reflects is counted. The pattern is H.264 unless {@code --video-codec} says
 * otherwise, and VP8 when the answer takes no H.264 (a browser built without it), both from the Java encoders.
 * A reflected video frame counts when its bytes are those of a frame sent and not yet seen back (a multiset of
 * checksums: the RTP timestamps may be rebased on the way).
 */
final class PeerMediaOffer {

    /**
     * Frames identified by length and CRC-32C of their bytes. Equality written out: a record's own goes through
     * method handles shared by every record, which cost on the loop per frame and lose their compiled code when
     * the measured call brings this class to them.
     */
    private record Key(int length, long crc) {
        static Key of(EncodedFrame f) {
            CRC32C crc = new CRC32C();
            crc.update(f.data());
            return new Key(f.data().length, crc.getValue());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.length == length && k.crc == crc;
        }

        @Override
        public int hashCode() {
            return 31 * length + Long.hashCode(crc);
        }
    }

    private final PeerCommand.VideoCodec wanted;
    private final FrameReader videoFile;
    private final Codec fileCodec;
    private RTCRtpTransceiver audio;
    private RTCRtpTransceiver video;
    /** Encoded when the scenario is set up, outside the measured part. */
    private final EncodedTone tone = new EncodedTone();
    /**
     * Plays the tone and a file's frames on the connection's loop (made with the transceivers); the encoded
     * pattern, whose reader runs the encoder, plays on a thread of its own ({@link #encoding}).
     */
    private LoopPlayer pump;
    private final MediaPump encoding = new MediaPump();
    private final List<MediaStreamTrack> sentTracks = new ArrayList<>();
    private Codec videoCodec;
    private boolean prepared;
    private boolean connected;

    // Counts, under this object's lock: frames are counted on the connection's loop, read on the main thread.
    private final Map<Key, Integer> outstanding = new HashMap<>();
    private long audioSent;
    private long videoSent;
    private long audioReceived;
    private long videoReceived;
    private long videoUnknown;
    private boolean keySent;
    /** System.nanoTime() of the first reflected video frame. */
    final CompletableFuture<Long> firstReflected = new CompletableFuture<>();

    /**
     * @param wanted    the codec to put first, or null for the file's codec (else H.264)
     * @param videoFile the opened file whose frames are sent unchanged, or null for the encoded pattern
     * @param fileCodec the codec of that file's video track
     */
    PeerMediaOffer(PeerCommand.VideoCodec wanted, FrameReader videoFile, Codec fileCodec) {
        this.wanted = wanted;
        this.videoFile = videoFile;
        this.fileCodec = fileCodec;
    }

    /** The codec the offer puts first: the file's, the one asked for, or H.264 (the test pattern). */
    Codec firstCodec() {
        return fileCodec != null ? fileCodec : wanted != null ? wanted.codec : Codec.H264;
    }

    /** Adds the two transceivers, the video codec of choice first, and counts what comes back on them. */
    void addTransceivers(RTCPeerConnection pc) {
        var init = RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.SENDRECV);
        pump = new LoopPlayer(pc);
        audio = pc.addTransceiver("audio", init);
        video = pc.addTransceiver("video", init);
        Codec first = firstCodec();
        List<RTCRtpCodec> preferred = new ArrayList<>();
        List<RTCRtpCodec> rest = new ArrayList<>();
        for (RTCRtpCodec c : RTCRtpSender.getCapabilities("video").codecs()) {
            (c.mimeType().equalsIgnoreCase(first.mimeType()) ? preferred : rest).add(c);
        }
        preferred.addAll(rest);
        video.setCodecPreferences(preferred);
        audio.receiver().track().addSink(MediaSink.encoded(f -> {
            synchronized (this) {
                audioReceived++;
            }
        }));
        video.receiver().track().addSink(MediaSink.encoded(this::reflected));
    }

    /**
     * After the answer: picks what to send on the negotiated codecs (the pattern in the codec asked for, else
     * H.264, else VP8: a sender sends any negotiated codec) and gives the senders their tracks, before the
     * connection is up, so that the first frames leave in the connected event itself ({@link #connected()}).
     *
     * @throws IllegalStateException when the answer refused the file's codec, both encoded codecs, or Opus
     */
    void prepare() {
        FrameReader videoReader;
        if (!negotiated(audio).contains(Codec.OPUS)) {
            throw new IllegalStateException("the answer did not accept Opus");
        }
        List<Codec> accepted = negotiated(video);
        if (videoFile != null) {
            if (!accepted.contains(fileCodec)) {
                throw new IllegalStateException("the answer did not accept " + fileCodec.encodingName()
                        + ", the codec of --video-file");
            }
            videoCodec = fileCodec;
            videoReader = videoFile;
        } else {
            List<Codec> choices = wanted != null ? List.of(wanted.codec, Codec.H264, Codec.VP8)
                    : List.of(Codec.H264, Codec.VP8);
            videoCodec = choices.stream().filter(accepted::contains).findFirst().orElseThrow(() ->
                    new IllegalStateException("the answer accepted neither H.264 nor VP8, the codecs rtc4j encodes"));
            videoReader = new EncodedPattern(videoCodec);
        }
        PushSource audioSource = new PushSource(MediaKind.AUDIO, "tone");
        PushSource videoSource = new PushSource(MediaKind.VIDEO, videoFile != null ? "video file" : "pattern");
        pump.add(tone, false, audioSource);
        if (videoFile != null) {
            pump.add(videoReader, true, videoSource);
        } else {
            encoding.add(videoReader, false, videoSource);
        }
        MediaStreamTrack a = audioSource.createTrack();
        MediaStreamTrack v = videoSource.createTrack();
        a.addSink(MediaSink.encoded(f -> {
            synchronized (this) {
                audioSent++;
            }
        }));
        v.addSink(MediaSink.encoded(this::sent));
        sentTracks.add(a);
        sentTracks.add(v);
        audio.sender().replaceTrack(a).join();
        video.sender().replaceTrack(v).join();
        synchronized (this) {
            prepared = true;
            if (connected) {
                start();
            }
        }
    }

    /** The codecs the answer accepted on a transceiver, the one it sends first. */
    private static List<Codec> negotiated(RTCRtpTransceiver t) {
        List<Codec> out = new ArrayList<>();
        for (RTCRtpCodecParameters c : t.sender().getParameters().codecs()) {
            Codec codec = Codec.byName(c.codec().mimeType());
            if (codec != null) {
                out.add(codec);
            }
        }
        return out;
    }

    /**
     * The connection is up (called in the connected event, on the connection's loop): the first frames go to
     * the senders now, the rest in real time; once prepared, if it is not yet.
     */
    synchronized void connected() {
        connected = true;
        if (prepared) {
            start();
        }
    }

    private void start() {
        pump.start();
        encoding.start();
    }

    /** Stops the sources, then waits up to a second for the last reflected frames. */
    void stopSending() throws InterruptedException {
        pump.close();
        encoding.close();
        for (MediaStreamTrack t : sentTracks) {
            t.stop();
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            synchronized (this) {
                if (videoReceived >= videoSent && audioReceived >= audioSent) {
                    return;
                }
            }
            Thread.sleep(10);
        }
    }

    private synchronized void sent(EncodedFrame f) {
        keySent |= f.keyFrame();
        if (keySent) { // frames before the first key frame cannot be counted on (issue 17)
            videoSent++;
            outstanding.merge(Key.of(f), 1, Integer::sum);
        }
    }

    private void reflected(EncodedFrame f) {
        Key k = Key.of(f);
        synchronized (this) {
            Integer n = outstanding.get(k);
            if (n == null) {
                videoUnknown++;
                return;
            }
            if (n == 1) {
                outstanding.remove(k);
            } else {
                outstanding.put(k, n - 1);
            }
            videoReceived++;
        }
        firstReflected.complete(System.nanoTime());
    }

    /**
     * The details of the result line, and whether the run is ok: at least half of the audio packets and half
     * of the video frames came back, none of them damaged.
     */
    synchronized boolean report(ObjectNode details) {
        details.put("audio_codec", "opus");
        details.put("video_codec", videoCodec == null ? null : videoCodec.encodingName());
        details.put("audio_packets_sent", audioSent);
        details.put("audio_packets_received", audioReceived);
        details.put("video_frames_sent", videoSent);
        details.put("video_frames_received", videoReceived);
        details.put("video_frames_damaged", videoUnknown);
        boolean ok = videoSent > 0 && audioSent > 0 && 2 * audioReceived >= audioSent && 2 * videoReceived >= videoSent
                && videoUnknown == 0;
        if (!ok && !details.has("error")) {
            details.put("error", videoUnknown > 0 ? "reflected video frames unlike any sent"
                    : "fewer than half of the audio packets or video frames came back");
        }
        return ok;
    }

    /** The selected candidate pair from getStats, as {@code RTCIceCandidatePair.describe()} writes it. */
    static String selectedPair(RTCPeerConnection pc) {
        RTCStatsReport report = pc.getStats().join();
        for (RTCStats t : report.ofType("transport")) {
            RTCStats pair = t.get("selectedCandidatePairId") instanceof String id ? report.get(id) : null;
            if (pair != null) {
                return candidate(report.get((String) pair.get("localCandidateId"))) + " -> "
                        + candidate(report.get((String) pair.get("remoteCandidateId")));
            }
        }
        return null;
    }

    private static String candidate(RTCStats c) {
        String a = String.valueOf(c.get("address"));
        return c.get("candidateType") + " " + c.get("protocol") + " " + (a.indexOf(':') >= 0 ? "[" + a + "]" : a)
                + ":" + c.get("port");
    }
}
