package org.rtc4j.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The DTMF playout of one sender (W3C webrtc section 7.2, the "DTMF playout task"; RFC 4733 section 2.5.1),
 * sans-IO: {@link #insert} queues tones, {@link #poll} says at a given time what to send and which tonechange
 * events to fire, {@link #deadline} when to poll next. Times are logical: a tone starts exactly when the one
 * before it plus the gap ended, whenever the poll comes, so durations never drift. Loop-confined.
 */
public final class DtmfPlayout {

    /** The characters insertDTMF takes (W3C section 7.2), upper case. */
    public static final String TONES = "0123456789ABCD#*,";
    /** W3C section 7.2: durations are clamped to 40..6000 ms, gaps to 30..6000 ms; ',' pauses for 2 s. */
    public static final long MIN_DURATION = 40;
    public static final long MAX_DURATION = 6000;
    public static final long MIN_GAP = 30;
    public static final long MAX_GAP = 6000;
    static final long COMMA_PAUSE = 2000;
    /** RFC 4733 section 2.5.1.2: an update while the tone lasts, every 50 ms. */
    static final long REPORT_INTERVAL = 50;

    /** What the owner does at a poll. */
    public sealed interface Action {
    }

    /** Fire tonechange with {@code tone} ("" when the buffer ran empty). */
    public record ToneChange(String tone) implements Action {
    }

    /**
     * Send a report of {@code event} (RFC 4733 section 3.2 codes) that started at {@code start}: its duration so
     * far, in milliseconds; {@code first} marks the event's first report, {@code end} its final one.
     */
    public record Report(int event, Instant start, long durationMillis, boolean first, boolean end) implements Action {
    }

    private String buffer = "";
    private long duration = 100;
    private long gap = 70;
    /** When the playout task runs next; null while it does not run. */
    private Instant task;
    private int event = -1;
    private Instant toneStart;
    private long toneMillis;
    private int reports;

    /** The tones not played yet (W3C toneBuffer). */
    public String toneBuffer() {
        return buffer;
    }

    /**
     * Replaces the tone buffer (W3C insertDTMF steps 6 to 10): {@code tones} must hold only {@link #TONES}, in any
     * case (checked by the caller); duration and gap are clamped. Starts the playout task unless it runs.
     */
    public void insert(Instant now, String tones, long durationMillis, long gapMillis) {
        buffer = tones.toUpperCase(Locale.ROOT);
        duration = Math.clamp(durationMillis, MIN_DURATION, MAX_DURATION);
        gap = Math.clamp(gapMillis, MIN_GAP, MAX_GAP);
        if (task == null) {
            task = now;
        }
    }

    /** The transceiver stopped: nothing more is played. */
    public void stop() {
        buffer = "";
        task = null;
        event = -1;
    }

    /** When {@link #poll} has something to do next; null when idle. */
    public Instant deadline() {
        Instant report = event < 0 ? null : nextReport();
        return report == null ? task : task == null || report.isBefore(task) ? report : task;
    }

    /** Everything due at {@code now}, in order, into {@code out}. */
    public void poll(Instant now, List<Action> out) {
        while (true) {
            Instant report = event < 0 ? null : nextReport();
            if (report != null && !report.isAfter(now) && (task == null || !task.isBefore(report))) {
                Instant end = toneStart.plusMillis(toneMillis);
                if (report.isBefore(end)) {
                    out.add(new Report(event, toneStart, Math.min((reports + 1) * REPORT_INTERVAL, toneMillis),
                            reports == 0, false));
                    reports++;
                } else {
                    out.add(new Report(event, toneStart, toneMillis, false, true));
                    event = -1;
                }
            } else if (task != null && !task.isAfter(now)) {
                runTask(task, out);
            } else {
                return;
            }
        }
    }

    private Instant nextReport() {
        Instant at = toneStart.plusMillis(reports * REPORT_INTERVAL);
        Instant end = toneStart.plusMillis(toneMillis);
        return at.isBefore(end) ? at : end;
    }

    /** W3C section 7.2, the DTMF playout task, run at its logical time {@code at}. */
    private void runTask(Instant at, List<Action> out) {
        if (buffer.isEmpty()) {
            task = null;
            out.add(new ToneChange(""));
            return;
        }
        char tone = buffer.charAt(0);
        buffer = buffer.substring(1);
        if (tone == ',') {
            task = at.plusMillis(COMMA_PAUSE);
        } else {
            event = eventCode(tone);
            toneStart = at;
            toneMillis = duration;
            reports = 0;
            task = at.plusMillis(duration + gap);
        }
        out.add(new ToneChange(String.valueOf(tone)));
    }

    /** RFC 4733 section 3.2: 0-9, * is 10, # is 11, A-D are 12-15. */
    public static int eventCode(char tone) {
        return switch (tone) {
            case '*' -> 10;
            case '#' -> 11;
            case 'A', 'B', 'C', 'D' -> 12 + tone - 'A';
            default -> tone - '0';
        };
    }

    /** The tone of an event code 0-15, or null for another event. */
    public static String toneOf(int event) {
        return event < 0 || event > 15 ? null : String.valueOf("0123456789*#ABCD".charAt(event));
    }

    /** Whether every character is one insertDTMF takes, in any case. */
    public static boolean valid(String tones) {
        return tones.toUpperCase(Locale.ROOT).chars().allMatch(c -> TONES.indexOf(c) >= 0);
    }
}
