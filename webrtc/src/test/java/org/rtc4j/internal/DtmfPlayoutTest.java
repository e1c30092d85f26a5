package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.payload.TelephoneEvent;

/** The DTMF playout on a virtual clock (W3C section 7.2, RFC 4733 section 2.5.1), and the receiving side. */
class DtmfPlayoutTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Polls at every deadline until idle; each action with the millisecond it came at. */
    private static List<String> run(DtmfPlayout p) {
        List<String> out = new ArrayList<>();
        List<DtmfPlayout.Action> actions = new ArrayList<>();
        for (Instant at; (at = p.deadline()) != null; ) {
            actions.clear();
            p.poll(at, actions);
            long ms = at.toEpochMilli() - T0.toEpochMilli();
            for (DtmfPlayout.Action a : actions) {
                out.add(ms + " " + switch (a) {
                    case DtmfPlayout.ToneChange t -> "tone '" + t.tone() + "'";
                    case DtmfPlayout.Report r -> "report " + r.event() + " " + r.durationMillis()
                            + (r.first() ? " first" : "") + (r.end() ? " end" : "") + " from "
                            + (r.start().toEpochMilli() - T0.toEpochMilli());
                });
            }
        }
        return out;
    }

    @Test
    void tonesReportsPauseAndGapsOnTheirLogicalTimes() {
        DtmfPlayout p = new DtmfPlayout();
        p.insert(T0, "1,#", 120, 50);
        assertThat(p.toneBuffer()).isEqualTo("1,#");
        assertThat(run(p)).containsExactly(
                "0 tone '1'", "0 report 1 50 first from 0", "50 report 1 100 from 0", "100 report 1 120 from 0",
                "120 report 1 120 end from 0",
                "170 tone ','",
                "2170 tone '#'", "2170 report 11 50 first from 2170", "2220 report 11 100 from 2170",
                "2270 report 11 120 from 2170", "2290 report 11 120 end from 2170",
                "2340 tone ''");
        assertThat(p.toneBuffer()).isEmpty();
    }

    @Test
    void durationAndGapAreClampedAndLettersUpperCased() {
        DtmfPlayout p = new DtmfPlayout();
        p.insert(T0, "a", 10, 1);
        assertThat(p.toneBuffer()).isEqualTo("A");
        assertThat(run(p)).containsExactly("0 tone 'A'", "0 report 12 40 first from 0", "40 report 12 40 end from 0",
                "70 tone ''");
        p.insert(T0, "*", 10_000, 10_000);
        assertThat(run(p)).contains("6000 report 10 6000 end from 0", "12000 tone ''");
        assertThat(DtmfPlayout.valid("0123456789abcdABCD#*,")).isTrue();
        assertThat(DtmfPlayout.valid("12E")).isFalse();
        assertThat(DtmfPlayout.toneOf(11)).isEqualTo("#");
        assertThat(DtmfPlayout.toneOf(16)).isNull();
    }

    @Test
    void aNewInsertReplacesTheBufferWhileATonePlays() {
        DtmfPlayout p = new DtmfPlayout();
        p.insert(T0, "12", 100, 30);
        List<DtmfPlayout.Action> actions = new ArrayList<>();
        p.poll(T0, actions);
        p.insert(T0.plusMillis(10), "9", 200, 30);
        assertThat(p.toneBuffer()).isEqualTo("9");
        List<String> rest = run(p);
        assertThat(rest).contains("100 report 1 100 end from 0", "130 tone '9'", "330 report 9 200 end from 130",
                "360 tone ''");
        assertThat(rest).noneMatch(s -> s.contains("tone '2'"));
    }

    @Test
    void receptionReportsEachToneOnceAndJoinsSegments() {
        DtmfReception r = new DtmfReception();
        assertThat(r.receive(1000, new TelephoneEvent(5, false, 10, 400))).isNull();
        assertThat(r.receive(1000, new TelephoneEvent(5, true, 10, 800))).isEqualTo(new DtmfReception.Tone(5, 800));
        assertThat(r.receive(1000, new TelephoneEvent(5, true, 10, 800))).as("repeated final report").isNull();
        // only the final report arrived
        assertThat(r.receive(5000, new TelephoneEvent(11, true, 10, 960))).isEqualTo(new DtmfReception.Tone(11, 960));
        // a long event in two segments (RFC 4733 section 2.5.1.3)
        assertThat(r.receive(10_000, new TelephoneEvent(0, false, 10, 0xFFFF))).isNull();
        assertThat(r.receive(10_000 + 0xFFFF, new TelephoneEvent(0, true, 10, 100)))
                .isEqualTo(new DtmfReception.Tone(0, 0xFFFF + 100));
    }
}
