package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.media.internal.StreamEvents;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** Track and stream semantics on push sources (no threads, no timing). */
class TracksTest {

    private static VideoFrame grey(long t) {
        return VideoFrame.filled(4, 2, (byte) 100, (byte) 90, (byte) 80, t);
    }

    @Test
    void aDisabledTrackDeliversBlackPicturesOfTheSameSizeAndTime() {
        PushSource src = new PushSource(MediaKind.VIDEO, "cam");
        MediaStreamTrack t = src.createTrack();
        List<VideoFrame> got = new ArrayList<>();
        t.addSink(MediaSink.video(got::add));
        src.push(grey(1));
        t.setEnabled(false);
        src.push(grey(2).withRotation(90));
        t.setEnabled(true);
        src.push(grey(3));
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isEqualTo(grey(1));
        assertThat(got.get(1)).isEqualTo(VideoFrame.black(4, 2, 2).withRotation(90));
        assertThat(got.get(2)).isEqualTo(grey(3));
        assertThat(t.enabled()).isTrue();
    }

    @Test
    void aDisabledTrackDeliversSilenceAndDropsEncodedFrames() {
        PushSource src = new PushSource(MediaKind.AUDIO, "mic");
        MediaStreamTrack t = src.createTrack();
        List<AudioFrame> pcm = new ArrayList<>();
        List<EncodedFrame> enc = new ArrayList<>();
        t.addSink(MediaSink.audio(pcm::add));
        t.addSink(MediaSink.encoded(enc::add));
        AudioFrame tone = new AudioFrame(new short[] {1000, -1000, 500, -500}, 8_000, 2, 42);
        t.setEnabled(false);
        src.push(tone);
        src.push(new EncodedFrame(Codec.PCMU, new byte[] {1}, 0, true));
        assertThat(pcm).containsExactly(AudioFrame.silence(8_000, 2, 2, 42));
        assertThat(enc).isEmpty();
        t.setEnabled(true);
        src.push(new EncodedFrame(Codec.PCMU, new byte[] {1}, 160, true));
        assertThat(enc).hasSize(1);
    }

    @Test
    void stopEndsTheTrackWithoutAnEventAndTheLastStopReleasesTheSource() {
        PushSource src = new PushSource(MediaKind.VIDEO, "cam");
        MediaStreamTrack a = src.createTrack();
        MediaStreamTrack b = a.clone();
        int[] ended = new int[1];
        a.onEnded(() -> ended[0]++);
        List<VideoFrame> got = new ArrayList<>();
        a.addSink(MediaSink.video(got::add));
        b.addSink(MediaSink.video(got::add));
        a.stop();
        assertThat(a.readyState()).isEqualTo(MediaStreamTrackState.ENDED);
        assertThat(ended[0]).isZero();
        assertThat(src.isStopped()).isFalse();
        assertThat(src.push(grey(0))).isTrue();
        assertThat(got).hasSize(1);   // only the clone still receives
        b.stop();
        assertThat(src.isStopped()).isTrue();
        assertThat(src.push(grey(1))).isFalse();
        assertThat(src.dropped()).isEqualTo(1);
        assertThatThrownBy(src::createTrack).isInstanceOf(InvalidStateError.class);
        assertThat(a.clone().readyState()).isEqualTo(MediaStreamTrackState.ENDED);
    }

    @Test
    void cloneHasANewIdTheSameSourceAndEnabledState() {
        PushSource src = new PushSource(MediaKind.AUDIO, "mic");
        MediaStreamTrack a = src.createTrack();
        a.setEnabled(false);
        MediaStreamTrack b = a.clone();
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.enabled()).isFalse();
        assertThat(b.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(b.kind().toString()).isEqualTo("audio");
        assertThat(b.label()).isEqualTo("mic");
        assertThat(b.source()).isSameAs(src);
    }

    @Test
    void muteUnmuteAndEndedComeFromTheSource() {
        PushSource src = new PushSource(MediaKind.VIDEO, "cam");
        MediaStreamTrack t = src.createTrack();
        List<String> events = new ArrayList<>();
        t.onMute(() -> events.add("mute"));
        t.onUnmute(() -> events.add("unmute"));
        t.onEnded(() -> events.add("ended"));
        src.mute(true);
        assertThat(t.muted()).isTrue();
        src.mute(true);
        src.mute(false);
        src.endOfStream();
        assertThat(events).containsExactly("mute", "unmute", "ended");
        assertThat(t.readyState().toString()).isEqualTo("ended");
        assertThat(src.isStopped()).isTrue();
    }

    @Test
    void settingsFollowPushedFrames() {
        PushSource src = new PushSource(MediaKind.VIDEO, "cam");
        MediaStreamTrack t = src.createTrack();
        assertThat(t.getSettings().width()).isNull();
        src.push(grey(0));
        assertThat(t.getSettings().width()).isEqualTo(4);
        assertThat(t.getSettings().aspectRatio()).isEqualTo(2.0);
        assertThat(t.getSettings().deviceId()).isNotEmpty();
        assertThatThrownBy(() -> src.push(AudioFrame.silence(8000, 1, 80, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> src.push(new EncodedFrame(Codec.OPUS, new byte[1], 0, true)))
                .isInstanceOf(IllegalArgumentException.class);
        // A push source runs at what it is given: constraints that ask otherwise fail.
        Throwable f = org.assertj.core.api.Assertions.catchThrowable(() -> t.applyConstraints(
                MediaTrackConstraints.none().width(ConstrainDouble.exact(8))).join());
        assertThat(f.getCause()).isInstanceOf(OverconstrainedError.class);
        t.applyConstraints(MediaTrackConstraints.none().width(ConstrainDouble.max(8))).join();
    }

    @Test
    void streamsListTracksByKindCloneAndFireEventsOnlyForRtc4jChanges() {
        MediaStreamTrack v = new PushSource(MediaKind.VIDEO, "cam").createTrack();
        MediaStreamTrack a = new PushSource(MediaKind.AUDIO, "mic").createTrack();
        MediaStream s = new MediaStream(List.of(v));
        List<String> events = new ArrayList<>();
        s.onAddTrack(t -> events.add("add " + t.kind()));
        s.onRemoveTrack(t -> events.add("remove " + t.kind()));
        s.addTrack(a);
        s.addTrack(a);
        assertThat(s.getTracks()).containsExactly(v, a);
        assertThat(s.getAudioTracks()).containsExactly(a);
        assertThat(s.getVideoTracks()).containsExactly(v);
        assertThat(s.getTrackById(a.id())).isSameAs(a);
        assertThat(s.active()).isTrue();
        s.removeTrack(a);
        assertThat(events).isEmpty();   // the application's own calls fire nothing (spec)
        StreamEvents.addTrack(s, a);
        StreamEvents.addTrack(s, a);
        StreamEvents.removeTrack(s, v);
        assertThat(events).containsExactly("add audio", "remove video");

        MediaStream c = s.clone();
        assertThat(c.id()).isNotEqualTo(s.id());
        assertThat(c.getTracks()).hasSize(1).doesNotContain(a);
        assertThat(c.getTracks().getFirst().source()).isSameAs(a.source());
        a.stop();
        assertThat(s.active()).isFalse();
        assertThat(c.active()).isTrue();
    }

    @Test
    void aSourceThatCannotStartIsSpentAndHoldsNoTrack() {
        MediaSource broken = new MediaSource(MediaKind.AUDIO, "busy mic", MediaTrackSettings.audio(48_000, 1, "m",
                "m")) {
            @Override
            protected void onStart() {
                throw new NotReadableError("device busy", null);
            }

            @Override
            protected void onStop() {
                throw new AssertionError("never started");
            }
        };
        assertThatThrownBy(broken::createTrack).isInstanceOf(NotReadableError.class);
        assertThat(broken.isStopped()).isTrue();
        assertThatThrownBy(broken::createTrack).isInstanceOf(InvalidStateError.class);
    }
}
