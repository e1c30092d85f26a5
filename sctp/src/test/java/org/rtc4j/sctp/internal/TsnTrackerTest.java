package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TsnTrackerTest {

    @Test
    void gapBlocksAcrossWrapAndWords() {
        TsnTracker t = new TsnTracker(1024);
        int base = -70; // wraps through 0
        t.reset(base);
        assertThat(t.mark(base)).isTrue();
        assertThat(t.received(base)).isTrue();
        for (int i = 2; i <= 5; i++) {
            t.mark(base + i);
        }
        for (int i = 60; i <= 130; i++) {
            t.mark(base + i);
        }
        t.mark(base + 200);
        int[] s = new int[8];
        int[] e = new int[8];
        int n = t.gapBlocks(s, e, 8);
        assertThat(t.cumTsn()).isEqualTo(base);
        assertThat(n).isEqualTo(3);
        assertThat(new int[] {s[0], e[0], s[1], e[1], s[2], e[2]}).containsExactly(2, 5, 60, 130, 200, 200);
        t.mark(base + 1);
        assertThat(t.cumTsn()).isEqualTo(base + 5);
        t.forwardTo(base + 100);
        assertThat(t.cumTsn()).isEqualTo(base + 130);
        n = t.gapBlocks(s, e, 8);
        assertThat(n).isEqualTo(1);
        assertThat(s[0]).isEqualTo(70);
        assertThat(t.inWindow(base + 130 + 1024)).isFalse();
        assertThat(t.inWindow(base + 131)).isTrue();
    }
}
