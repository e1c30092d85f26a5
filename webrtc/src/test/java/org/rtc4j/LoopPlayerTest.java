package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * {@link LoopPlayer}: an audio and a video reader played on the sending connection's loop reach the peer whole
 * and in order, every frame pushed on the loop's thread (no thread of the player's own), and nothing is pushed
 * after close.
 */
@Timeout(60)
class LoopPlayerTest {

    private static final int VIDEO_FRAMES = 30;
    private static final int AUDIO_FRAMES = 50;

    @Test
    void audioAndVideoPlayedOnTheLoopArriveWholeAndInOrder() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "video");
            PushSource mic = new PushSource(MediaKind.AUDIO, "audio");
            var send = RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.SENDONLY);
            pc1.addTransceiver(mic.createTrack(), send);
            pc1.addTransceiver(camera.createTrack(), send);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            camera.createTrack().addSink(MediaSink.encoded(f -> threads.add(Thread.currentThread().getName())));
            mic.createTrack().addSink(MediaSink.encoded(f -> threads.add(Thread.currentThread().getName())));

            Random random = new Random(17);
            Queue<byte[]> video = new ArrayDeque<>();
            for (int i = 0; i < VIDEO_FRAMES; i++) {
                video.add(SyntheticFrames.vp8(random, i == 0, i == 0 ? 6000 : 1500));
            }
            Queue<byte[]> expected = new ArrayDeque<>(video);
            AtomicInteger videoIn = new AtomicInteger();
            AtomicInteger audioIn = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(VIDEO_FRAMES + AUDIO_FRAMES);
            CompletableFuture<Void> wrong = new CompletableFuture<>();
            pc2.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> {
                if (f.codec().isVideo()) {
                    byte[] want = expected.poll();
                    if (want == null || !Arrays.equals(want, f.data())) {
                        wrong.complete(null);
                    }
                    videoIn.incrementAndGet();
                } else {
                    audioIn.incrementAndGet();
                }
                all.countDown();
            })));
            CompletableFuture<Void> up = new CompletableFuture<>();
            pc1.onConnectionStateChange(st -> {
                if (st == RTCPeerConnectionState.CONNECTED) {
                    up.complete(null);
                }
            });
            PeerPair.connect(pc1, pc2);
            up.get(30, TimeUnit.SECONDS);

            LoopPlayer player = new LoopPlayer(pc1)
                    .add(reader(MediaKind.VIDEO, i -> new EncodedFrame(Codec.VP8, video.poll(), i * 3000L, i == 0),
                            VIDEO_FRAMES, 33_333), false, camera)
                    .add(reader(MediaKind.AUDIO, i -> new EncodedFrame(Codec.OPUS,
                            SyntheticFrames.opus(random, 100), i * 960L, true), AUDIO_FRAMES, 20_000), false, mic);
            player.start();
            assertThat(all.await(30, TimeUnit.SECONDS)).as("video %s, audio %s of the frames", videoIn, audioIn)
                    .isTrue();
            assertThat(wrong).as("a video frame out of order or damaged").isNotDone();
            player.close();
            assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("rtc4j-io-"));
            long pushed = camera.pushed() + mic.pushed();
            assertThat(pushed).isEqualTo(VIDEO_FRAMES + AUDIO_FRAMES);
        }
    }

    @Test
    void nothingIsPushedAfterClose() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "video");
            AtomicInteger seen = new AtomicInteger();
            camera.createTrack().addSink(MediaSink.encoded(f -> seen.incrementAndGet()));
            Random random = new Random(3);
            LoopPlayer player = new LoopPlayer(pc).add(reader(MediaKind.VIDEO,
                    i -> new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, i == 0, 500), i * 3000L, i == 0),
                    1_000_000, 10_000), true, camera);
            player.start();
            while (seen.get() < 3) {
                Thread.sleep(5);
            }
            player.close();
            int after = seen.get();
            Thread.sleep(100);
            assertThat(seen.get()).isEqualTo(after);
        }
    }

    /** A burst of frames all due at once goes out in bounded steps, none lost, in order. */
    @Test
    void aBurstDueAtOnceIsPushedWhole() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "video");
            int count = 10 * LoopPlayer.MAX_FRAMES_PER_TICK + 3;
            java.util.List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(count);
            camera.createTrack().addSink(MediaSink.encoded(f -> {
                seen.add(f.data().length); // the frames' sizes tell them apart (their times are all one)
                all.countDown();
            }));
            Random random = new Random(5);
            LoopPlayer player = new LoopPlayer(pc).add(reader(MediaKind.VIDEO,
                    i -> new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, i == 0, 300 + i), i, i == 0), count, 0),
                    false, camera);
            player.start();
            assertThat(all.await(20, TimeUnit.SECONDS)).as("%s of %s frames", seen.size(), count).isTrue();
            player.close();
            assertThat(seen).hasSize(count).isSorted().doesNotHaveDuplicates();
        }
    }

    /** {@code count} encoded frames, {@code gapMicros} apart. */
    private static FrameReader reader(MediaKind kind, IntFunction<EncodedFrame> frame, int count,
                                      long gapMicros) {
        return new FrameReader() {
            private int next;

            @Override
            public MediaKind kind() {
                return kind;
            }

            @Override
            public MediaFrame read() {
                if (next == count) {
                    return null;
                }
                int i = next++;
                return new TimedEncodedFrame(frame.apply(i), i * gapMicros, gapMicros);
            }

            @Override
            public void close() {
            }
        };
    }
}
