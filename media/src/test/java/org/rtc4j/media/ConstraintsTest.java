package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rtc4j.media.ConstrainDouble.exact;
import static org.rtc4j.media.ConstrainDouble.ideal;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.rtc4j.media.internal.SettingsSelector;

/** One test per rule of the spec's SelectSettings and getUserMedia errors, on the synthetic devices. */
class ConstraintsTest {

    private static final MediaSettings SYNTHETIC = MediaSettings.defaults()
            .withSyntheticDevices(SyntheticDevices.ONLY).withJavaSound(false).withScreenCapture(false);

    private static MediaTrackSettings video(MediaTrackConstraints c) {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.video(c)).join();
        MediaTrackSettings settings = s.getVideoTracks().getFirst().getSettings();
        s.getTracks().forEach(MediaStreamTrack::stop);
        return settings;
    }

    private static MediaTrackSettings audio(MediaTrackConstraints c) {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.audio(c)).join();
        MediaTrackSettings settings = s.getAudioTracks().getFirst().getSettings();
        s.getTracks().forEach(MediaStreamTrack::stop);
        return settings;
    }

    private static <E extends Throwable> E failure(MediaDevices d, MediaStreamConstraints c, Class<E> type) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> d.getUserMedia(c).join());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(type);
        return type.cast(t.getCause());
    }

    private static OverconstrainedError overconstrained(MediaStreamConstraints c) {
        return failure(new MediaDevices(SYNTHETIC), c, OverconstrainedError.class);
    }

    @Test
    void noConstraintsGiveTheDeviceDefaults() {
        MediaTrackSettings s = video(MediaTrackConstraints.none());
        assertThat(s.width()).isEqualTo(640);
        assertThat(s.height()).isEqualTo(480);
        assertThat(s.frameRate()).isEqualTo(30);
        assertThat(s.aspectRatio()).isEqualTo(640.0 / 480);
        assertThat(s.deviceId()).isEqualTo("rtc4j-synthetic-camera");
        assertThat(s.sampleRate()).isNull();
    }

    @Test
    void exactValuesWithinTheCapabilitiesAreMet() {
        MediaTrackSettings s = video(MediaTrackConstraints.none().width(exact(1280)).height(exact(720))
                .frameRate(exact(15)));
        assertThat(s.width()).isEqualTo(1280);
        assertThat(s.height()).isEqualTo(720);
        assertThat(s.frameRate()).isEqualTo(15);
    }

    @Test
    void exactOutsideTheCapabilitiesIsOverconstrainedNamingTheConstraint() {
        OverconstrainedError e = overconstrained(MediaStreamConstraints.video(
                MediaTrackConstraints.none().width(exact(10_000))));
        assertThat(e.constraint()).isEqualTo("width");
        assertThat(e.name()).isEqualTo("OverconstrainedError");
        assertThat(overconstrained(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .frameRate(ConstrainDouble.min(120)))).constraint()).isEqualTo("frameRate");
        assertThat(overconstrained(MediaStreamConstraints.audio(MediaTrackConstraints.none()
                .sampleRate(exact(192_000)))).constraint()).isEqualTo("sampleRate");
        assertThat(overconstrained(MediaStreamConstraints.audio(MediaTrackConstraints.none()
                .channelCount(ConstrainDouble.min(3)))).constraint()).isEqualTo("channelCount");
    }

    @Test
    void minAboveMaxCanNeverBeMet() {
        assertThat(overconstrained(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .height(ConstrainDouble.range(700, 600)))).constraint()).isEqualTo("height");
    }

    @Test
    void eachRequiredConstraintMayBeMetAloneButNotTogether() {
        // 3840 wide is possible, an aspect ratio of 0.5 is possible, both at once need 7680 rows: failedConstraint "".
        OverconstrainedError e = overconstrained(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .width(exact(3840)).aspectRatio(exact(0.5))));
        assertThat(e.constraint()).isEmpty();
        assertThat(e).hasMessageContaining("constraints");
    }

    @Test
    void anIdealOutsideTheRangeGivesTheNearestPossibleValue() {
        MediaTrackSettings s = video(MediaTrackConstraints.none().width(ideal(5000)).frameRate(ideal(0.5)));
        assertThat(s.width()).isEqualTo(3840);
        assertThat(s.frameRate()).isEqualTo(1);
    }

    @Test
    void minAndMaxBoundWithoutMovingTheDefaultNeedlessly() {
        assertThat(video(MediaTrackConstraints.none().width(ConstrainDouble.min(320))).width()).isEqualTo(640);
        MediaTrackSettings small = video(MediaTrackConstraints.none().width(ConstrainDouble.max(320)));
        assertThat(small.width()).isEqualTo(320);
        assertThat(small.height()).as("keeps the default's shape").isEqualTo(240);
        assertThat(video(MediaTrackConstraints.none().width(ConstrainDouble.min(800))).width()).isEqualTo(800);
    }

    @Test
    void anAspectRatioGivesTheOtherSide() {
        MediaTrackSettings s = video(MediaTrackConstraints.none().width(exact(1280)).aspectRatio(exact(16.0 / 9)));
        assertThat(s.height()).isEqualTo(720);
        MediaTrackSettings t = video(MediaTrackConstraints.none().height(ideal(360)).aspectRatio(ideal(16.0 / 9)));
        assertThat(t.width()).isEqualTo(640);
        assertThat(t.height()).isEqualTo(360);
    }

    @Test
    void fitnessDistanceIsTheRelativeDifferenceToTheIdeal() {
        MediaTrackSettings s = MediaTrackSettings.video(640, 480, 30, "a", "g");
        MediaTrackConstraintSet c = MediaTrackConstraintSet.NONE.width(ideal(800)).frameRate(ideal(30));
        assertThat(SettingsSelector.fitness(c, s, false)).isEqualTo(160.0 / 800);
        assertThat(SettingsSelector.fitness(MediaTrackConstraintSet.NONE.deviceId(ConstrainDOMString.ideal("b")), s,
                false)).isEqualTo(1);
        assertThat(SettingsSelector.fitness(MediaTrackConstraintSet.NONE.width(exact(641)), s, false))
                .isInfinite();
        // Not required and not applicable to the kind: no influence.
        assertThat(SettingsSelector.fitness(MediaTrackConstraintSet.NONE.sampleRate(ideal(8000)), s, false))
                .isZero();
    }

    @Test
    void idealPicksTheClosestDiscreteModeAndTheBestDevice() {
        TestDevice small = TestDevice.camera("small", new int[] {320, 240}, new int[] {640, 480});
        TestDevice big = TestDevice.camera("big", new int[] {1920, 1080}, new int[] {1280, 720});
        MediaDevices d = new MediaDevices(MediaSettings.defaults().withJavaSound(false).withScreenCapture(false));
        d.addDevice(small);
        d.addDevice(big);
        MediaStreamTrack t = d.getUserMedia(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .width(ideal(1200)))).join().getVideoTracks().getFirst();
        assertThat(t.getSettings().deviceId()).isEqualTo("big");
        assertThat(t.getSettings().width()).isEqualTo(1280);
        MediaStreamTrack u = d.getUserMedia(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .width(ideal(500)))).join().getVideoTracks().getFirst();
        assertThat(u.getSettings().deviceId()).isEqualTo("small");
        assertThat(u.getSettings().width()).isEqualTo(640);
    }

    @Test
    void deviceIdExactMustExistWhileIdealOnlyPrefers() {
        assertThat(overconstrained(MediaStreamConstraints.video(MediaTrackConstraints.none().deviceId("nope")))
                .constraint()).isEqualTo("deviceId");
        assertThat(video(MediaTrackConstraints.none().deviceId(ConstrainDOMString.ideal("nope"))).deviceId())
                .isEqualTo("rtc4j-synthetic-camera");
        assertThat(video(MediaTrackConstraints.none().deviceId("rtc4j-synthetic-camera")).width()).isEqualTo(640);
        assertThat(overconstrained(MediaStreamConstraints.video(MediaTrackConstraints.none()
                .groupId(ConstrainDOMString.exact("other")))).constraint()).isEqualTo("groupId");
    }

    @Test
    void advancedSetsApplyInOrderWhenTheyCanAndAreSkippedWhenTheyCannot() {
        MediaTrackConstraints c = MediaTrackConstraints.none().width(ConstrainDouble.max(1920)).advanced(
                MediaTrackConstraintSet.NONE.width(exact(4000)),                 // impossible: skipped
                MediaTrackConstraintSet.NONE.width(ideal(1280)),                 // advanced ideal counts as exact
                MediaTrackConstraintSet.NONE.width(exact(320)));                 // conflicts with the one before
        assertThat(video(c).width()).isEqualTo(1280);
    }

    @Test
    void echoCancellationIsUnsupportedSoItIsIgnored() {
        MediaDevices d = new MediaDevices(SYNTHETIC);
        assertThat(d.getSupportedConstraints().echoCancellation()).isFalse();
        assertThat(d.getSupportedConstraints().width()).isTrue();
        MediaTrackSettings s = audio(MediaTrackConstraints.none().echoCancellation(ConstrainBoolean.exact(true)));
        assertThat(s.sampleRate()).isEqualTo(48_000);
    }

    @Test
    void aRequiredConstraintOfTheOtherKindCannotBeMet() {
        assertThat(overconstrained(MediaStreamConstraints.audio(MediaTrackConstraints.none().width(exact(640))))
                .constraint()).isEqualTo("width");
        // Merely ideal, it is ignored.
        assertThat(audio(MediaTrackConstraints.none().width(ideal(640))).width()).isNull();
    }

    @Test
    void audioSampleRateAndChannels() {
        MediaTrackSettings s = audio(MediaTrackConstraints.none().sampleRate(exact(16_000)).channelCount(ideal(2)));
        assertThat(s.sampleRate()).isEqualTo(16_000);
        assertThat(s.channelCount()).isEqualTo(2);
        assertThat(s.sampleSize()).isEqualTo(16);
        assertThat(overconstrained(MediaStreamConstraints.audio(MediaTrackConstraints.none()
                .sampleSize(exact(24)))).constraint()).isEqualTo("sampleSize");
    }

    @Test
    void emptyConstraintsAreATypeError() {
        MediaDevices d = new MediaDevices(SYNTHETIC);
        assertThat(failure(d, MediaStreamConstraints.of(false, false), TypeError.class).name())
                .isEqualTo("TypeError");
        assertThat(failure(d, null, TypeError.class)).hasMessageContaining("audio or video");
        assertThatThrownBy(() -> ConstrainDouble.exact(Double.NaN)).isInstanceOf(TypeError.class);
    }

    @Test
    void noDeviceOfTheKindIsNotFound() {
        MediaDevices none = new MediaDevices(MediaSettings.defaults().withJavaSound(false)
                .withScreenCapture(false));
        assertThat(failure(none, MediaStreamConstraints.of(false, true), NotFoundError.class))
                .hasMessageContaining("video");
        assertThat(failure(none, MediaStreamConstraints.of(true, false), NotFoundError.class).name())
                .isEqualTo("NotFoundError");
        assertThat(none.enumerateDevices().join()).isEmpty();
        // Even impossible constraints: no device at all is NotFoundError, not OverconstrainedError.
        failure(none, MediaStreamConstraints.video(MediaTrackConstraints.none().width(exact(1))),
                NotFoundError.class);
    }

    @Test
    void aDeviceThatCannotOpenIsNotReadableAndNothingStaysOpen() {
        TestDevice cam = TestDevice.camera("cam", new int[] {640, 480});
        MediaDevices d = new MediaDevices(MediaSettings.defaults().withJavaSound(false).withScreenCapture(false)
                .withSyntheticDevices(SyntheticDevices.WHEN_NO_REAL_DEVICE));
        d.addDevice(cam);
        cam.failure = new IllegalStateException("busy");
        NotReadableError e = failure(d, MediaStreamConstraints.of(true, true), NotReadableError.class);
        assertThat(e).hasMessageContaining("busy");
        assertThat(e.name()).isEqualTo("NotReadableError");
        // The synthetic microphone opened first was released again.
        cam.failure = null;
        MediaStream s = d.getUserMedia(MediaStreamConstraints.of(true, true)).join();
        assertThat(s.getAudioTracks().getFirst().label()).isEqualTo("rtc4j synthetic microphone");
        assertThat(s.getVideoTracks().getFirst().label()).isEqualTo("test cam");
        s.getTracks().forEach(MediaStreamTrack::stop);
    }

    @Test
    void applyConstraintsRechoosesOnTheTracksDeviceOrFailsChangingNothing() {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.of(false, true)).join();
        MediaStreamTrack t = s.getVideoTracks().getFirst();
        MediaTrackConstraints hd = MediaTrackConstraints.none().width(exact(1280)).height(exact(720));
        t.applyConstraints(hd).join();
        assertThat(t.getSettings().width()).isEqualTo(1280);
        assertThat(t.getConstraints()).isEqualTo(hd);
        Throwable f = org.assertj.core.api.Assertions.catchThrowable(() -> t.applyConstraints(
                MediaTrackConstraints.none().width(exact(9999))).join());
        assertThat(f.getCause()).isInstanceOf(OverconstrainedError.class);
        assertThat(((OverconstrainedError) f.getCause()).constraint()).isEqualTo("width");
        assertThat(t.getSettings().width()).isEqualTo(1280);
        assertThat(t.getConstraints()).isEqualTo(hd);
        assertThat(t.getCapabilities().width()).isEqualTo(new DoubleRange(32, 3840));
        t.stop();
    }

    @Test
    void displayMediaTakesOnlyIdealAndMax() {
        MediaDevices d = new MediaDevices(SYNTHETIC);
        for (MediaTrackConstraints bad : List.of(MediaTrackConstraints.none().width(exact(640)),
                MediaTrackConstraints.none().frameRate(ConstrainDouble.min(5)),
                MediaTrackConstraints.none().advanced(MediaTrackConstraintSet.NONE))) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> d.getDisplayMedia(
                    new DisplayMediaStreamOptions(bad, false)).join());
            assertThat(t.getCause()).isInstanceOf(TypeError.class);
        }
        Throwable none = org.assertj.core.api.Assertions.catchThrowable(() -> new MediaDevices(MediaSettings
                .defaults().withScreenCapture(false)).getDisplayMedia(DisplayMediaStreamOptions.videoOnly()).join());
        assertThat(none.getCause()).isInstanceOf(NotFoundError.class);
        MediaStream s = d.getDisplayMedia(new DisplayMediaStreamOptions(MediaTrackConstraints.none()
                .width(ConstrainDouble.max(320)), true)).join();
        assertThat(s.getTracks()).hasSize(1);
        assertThat(s.getVideoTracks().getFirst().getSettings().width()).isEqualTo(320);
        s.getTracks().forEach(MediaStreamTrack::stop);
    }
}
