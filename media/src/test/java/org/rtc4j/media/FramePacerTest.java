package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

class FramePacerTest {

    private static List<VideoFrame> video(long... times) {
        List<VideoFrame> l = new ArrayList<>();
        for (long t : times) {
            l.add(VideoFrame.black(2, 2, t));
        }
        return l;
    }

    @Test
    void framesComeOutWhenTheirTimeComesRebasedOnTheFirstPoll() throws IOException {
        FramePacer p = new FramePacer(new ListReader(MediaKind.VIDEO, video(5_000, 38_333, 71_666)), false);
        long start = 1_000_000;
        assertThat(p.poll(start).timestampMicros()).isEqualTo(start);
        assertThat(p.poll(start)).isNull();
        assertThat(p.nextDueMicros()).isEqualTo(start + 33_333);
        assertThat(p.poll(start + 33_332)).isNull();
        assertThat(p.poll(start + 33_333).timestampMicros()).isEqualTo(start + 33_333);
        // Late polls hand out everything overdue, one at a time, each with its own time.
        assertThat(p.poll(start + 500_000).timestampMicros()).isEqualTo(start + 66_666);
        assertThat(p.poll(start + 500_000)).isNull();
        assertThat(p.isFinished()).isTrue();
        assertThat(p.nextDueMicros()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.frames()).isEqualTo(3);
    }

    @Test
    void loopingContinuesTheTimelineByTheLastGap() throws IOException {
        ListReader r = new ListReader(MediaKind.VIDEO, video(0, 40_000, 80_000));
        FramePacer p = new FramePacer(r, true);
        List<Long> times = new ArrayList<>();
        for (long now = 0; times.size() < 7; now += 10_000) {
            for (MediaFrame f; (f = p.poll(now)) != null; ) {
                times.add(f.timestampMicros());
            }
        }
        assertThat(times).containsExactly(0L, 40_000L, 80_000L, 120_000L, 160_000L, 200_000L, 240_000L);
        assertThat(r.rewinds).isEqualTo(2);
        assertThat(p.isFinished()).isFalse();
    }

    @Test
    void audioLoopsByItsDurationAndEncodedFramesGetContinuousRtpTimestamps() throws IOException {
        List<AudioFrame> audio = List.of(AudioFrame.silence(48_000, 1, 960, 0), AudioFrame.silence(48_000, 1, 960,
                20_000));
        FramePacer p = new FramePacer(new ListReader(MediaKind.AUDIO, audio), true);
        p.poll(0);
        p.poll(20_000);
        assertThat(p.poll(40_000).timestampMicros()).isEqualTo(40_000);

        EncodedFrame opus = new EncodedFrame(Codec.OPUS, new byte[] {1}, 123, true);
        FramePacer e = new FramePacer(new ListReader(MediaKind.AUDIO,
                List.of(new TimedEncodedFrame(opus, 500, 20_000))), true);
        long[] rtp = new long[3];
        for (int i = 0; i < 3; i++) {
            rtp[i] = ((TimedEncodedFrame) e.poll(10_000_000L + i * 20_000L)).frame().timestamp();
        }
        assertThat(rtp[1] - rtp[0]).isEqualTo(960);
        assertThat(rtp[2] - rtp[1]).isEqualTo(960);
    }

    @Test
    void aSingleZeroLengthFrameCannotSpin() throws IOException {
        FramePacer p = new FramePacer(new ListReader(MediaKind.VIDEO, video(0)), true);
        p.poll(0);
        assertThat(p.poll(0)).isNull();
        assertThat(p.nextDueMicros()).isEqualTo(FramePacer.MIN_LOOP_MICROS);
    }

    @Test
    void emptyReaderFinishesAndWrongKindIsAnError() throws IOException {
        FramePacer p = new FramePacer(new ListReader(MediaKind.VIDEO, List.of()), true);
        assertThat(p.poll(0)).isNull();
        assertThat(p.isFinished()).isTrue();
        FramePacer bad = new FramePacer(new ListReader(MediaKind.AUDIO, video(0)), false);
        assertThatThrownBy(() -> bad.poll(0)).isInstanceOf(IOException.class).hasMessageContaining("video");
    }

    @Test
    void rtpTimestampWrapsModulo32BitsWithoutOverflow() {
        assertThat(TimedEncodedFrame.rtpTimestamp(1_000_000, 90_000)).isEqualTo(90_000);
        assertThat(TimedEncodedFrame.rtpTimestamp(Long.MAX_VALUE, 90_000)).isBetween(0L, 0xFFFF_FFFFL);
        // 2^32 ticks of 90 kHz are 47 721 858 835.6 us: 64.4 us later the clock reads 5 after wrapping.
        assertThat(TimedEncodedFrame.rtpTimestamp(47_721_858_900L, 90_000)).isEqualTo(5);
    }

    @Test
    void absurdTimestampsComeAtOnceOrNeverWithoutWrapping() throws IOException {
        FramePacer p = new FramePacer(new ListReader(MediaKind.VIDEO, video(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5,
                Long.MAX_VALUE)), false);
        assertThat(p.poll(1_000).timestampMicros()).isEqualTo(1_000);
        // Far in the past: due at once (saturated, not wrapped into the far future).
        assertThat(p.nextDueMicros()).isLessThan(0);
        assertThat(p.poll(1_000)).isNotNull();
        assertThat(p.nextDueMicros()).isEqualTo(1_005);
    }
}
