package org.rtc4j.media;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import javax.sound.sampled.spi.MixerProvider;

/**
 * A Java Sound mixer installed for the tests through the MixerProvider service (this machine has no sound card):
 * a capture line that "records" the synthetic tone in real time (48 kHz or 16 kHz, mono or stereo) and counts
 * opens and closes, and a 48 kHz stereo playback line with room for {@value #ROOM} bytes at a time that counts
 * what is written to it.
 */
public final class TestSoundCard extends MixerProvider {

    static final String NAME = "rtc4j test microphone";
    static final int ROOM = 960 * 4;
    static final AtomicInteger WRITTEN = new AtomicInteger();
    static final AtomicInteger SPEAKER_CLOSED = new AtomicInteger();
    static final AtomicInteger OPENED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();
    private static final Mixer.Info INFO = new Mixer.Info(NAME, "rtc4j", "a test capture device", "1") {
    };
    private static final AudioFormat[] FORMATS = {new AudioFormat(48_000, 16, 1, true, false),
        new AudioFormat(48_000, 16, 2, true, false), new AudioFormat(16_000, 16, 1, true, false)};
    private static final DataLine.Info LINE = new DataLine.Info(TargetDataLine.class, FORMATS, 960, 96_000);
    private static final DataLine.Info OUT = new DataLine.Info(SourceDataLine.class, FORMATS[1], ROOM);

    @Override
    public Mixer.Info[] getMixerInfo() {
        return new Mixer.Info[] {INFO};
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (!INFO.equals(info)) {
            throw new IllegalArgumentException("not ours: " + info);
        }
        return (Mixer) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Mixer.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getMixerInfo" -> INFO;
                    case "getTargetLineInfo" -> args == null || ((Line.Info) args[0]).matches(LINE)
                            ? new Line.Info[] {LINE} : new Line.Info[0];
                    case "getSourceLineInfo" -> args == null || ((Line.Info) args[0]).matches(OUT)
                            ? new Line.Info[] {OUT} : new Line.Info[0];
                    case "getSourceLines", "getTargetLines" -> new Line[0];
                    case "isLineSupported" -> ((Line.Info) args[0]).matches(LINE) || ((Line.Info) args[0]).matches(OUT);
                    case "getLine" -> ((Line.Info) args[0]).matches(OUT) ? speaker() : line((Line.Info) args[0]);
                    case "getMaxLines" -> ((Line.Info) args[0]).matches(LINE) || ((Line.Info) args[0]).matches(OUT)
                            ? 1 : 0;
                    case "isOpen" -> true;
                    case "isSynchronizationSupported", "isControlSupported" -> false;
                    case "getControls" -> new javax.sound.sampled.Control[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> NAME;
                    default -> null;   // open, close, listeners, synchronize: nothing to do
                });
    }

    private static SourceDataLine speaker() {
        boolean[] open = new boolean[1];
        return (SourceDataLine) Proxy.newProxyInstance(TestSoundCard.class.getClassLoader(),
                new Class<?>[] {SourceDataLine.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "open" -> {
                        open[0] = true;
                        yield null;
                    }
                    case "close" -> {
                        if (open[0]) {
                            SPEAKER_CLOSED.incrementAndGet();
                        }
                        open[0] = false;
                        yield null;
                    }
                    case "isOpen", "isActive", "isRunning" -> open[0];
                    case "write" -> {
                        if ((int) args[2] > ROOM) {
                            throw new AssertionError("wrote more than the room there was: " + args[2]);
                        }
                        WRITTEN.addAndGet((int) args[2]);
                        yield args[2];
                    }
                    case "available" -> ROOM;
                    case "getFormat" -> FORMATS[1];
                    case "getLineInfo" -> OUT;
                    case "getBufferSize" -> ROOM;
                    case "getControls" -> new javax.sound.sampled.Control[0];
                    case "isControlSupported" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "rtc4j test speaker";
                    default -> zero(m.getReturnType());
                });
    }

    private static TargetDataLine line(Line.Info want) {
        if (!want.matches(LINE)) {
            throw new IllegalArgumentException("unsupported line " + want);
        }
        AudioFormat[] format = new AudioFormat[1];
        boolean[] open = new boolean[1];
        long[] samples = new long[1];
        return (TargetDataLine) Proxy.newProxyInstance(TestSoundCard.class.getClassLoader(),
                new Class<?>[] {TargetDataLine.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "open" -> {
                        format[0] = args != null && args.length > 0 ? (AudioFormat) args[0] : FORMATS[0];
                        synchronized (open) {
                            open[0] = true;
                        }
                        OPENED.incrementAndGet();
                        yield null;
                    }
                    case "close" -> {
                        synchronized (open) {
                            if (open[0]) {
                                CLOSED.incrementAndGet();
                            }
                            open[0] = false;
                        }
                        yield null;
                    }
                    case "isOpen", "isActive", "isRunning" -> {
                        synchronized (open) {
                            yield open[0];
                        }
                    }
                    case "read" -> read(format[0], open, samples, (byte[]) args[0], (int) args[1], (int) args[2]);
                    case "getFormat" -> format[0];
                    case "getLineInfo" -> LINE;
                    case "getBufferSize" -> 9600;
                    case "available" -> 0;
                    case "getControls" -> new javax.sound.sampled.Control[0];
                    case "isControlSupported" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> NAME + " line";
                    default -> zero(m.getReturnType());
                });
    }

    /** What an unused method returns: zero of its type (a proxy may not return null for a primitive). */
    private static Object zero(Class<?> type) {
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return type == float.class ? (Object) 0f : null;
    }

    /** 10 ms of the tone per call, at the pace of a real device; 0 once closed. */
    private static int read(AudioFormat f, boolean[] open, long[] samples, byte[] b, int off, int len)
            throws InterruptedException {
        synchronized (open) {
            if (!open[0]) {
                return 0;
            }
        }
        Thread.sleep(10);
        int channels = f.getChannels();
        int n = Math.min(len / (2 * channels), (int) f.getSampleRate() / 100);
        AudioFrame tone = new SyntheticAudio((int) f.getSampleRate(), channels, 440).frame(samples[0], n);
        samples[0] += n;
        byte[] pcm = tone.toLittleEndian();
        System.arraycopy(pcm, 0, b, off, pcm.length);
        return pcm.length;
    }
}
