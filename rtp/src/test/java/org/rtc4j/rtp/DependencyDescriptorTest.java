package org.rtc4j.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;

/** Descriptors built bit by bit after the syntax of the AV1 RTP specification, appendix A.8. */
class DependencyDescriptorTest {

    /** MSB-first bit writer. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int cur;
        private int n;

        Bits f(int bits, long v) {
            for (int i = bits - 1; i >= 0; i--) {
                cur = (cur << 1) | (int) ((v >>> i) & 1);
                if (++n == 8) {
                    out.write(cur);
                    cur = 0;
                    n = 0;
                }
            }
            return this;
        }

        ByteBuffer done() {
            if (n > 0) {
                f(8 - n, 0);
            }
            return ByteBuffer.wrap(out.toByteArray());
        }
    }

    /** L1T2: two templates (T0 key/delta, T1), two decode targets, one chain. */
    private static Bits l1t2KeyFrame() {
        Bits b = new Bits().f(1, 1).f(1, 1).f(6, 0).f(16, 100);   // S E template 0, frame 100
        b.f(1, 1).f(1, 0).f(1, 0).f(1, 0).f(1, 0);               // structure present, no custom fields
        b.f(6, 0).f(5, 1);                                         // template id offset 0, DtCnt 2
        b.f(2, 0).f(2, 1).f(2, 3);                                 // templates: T0, T0, T1 (next_layer_idc)
        // DTIs: template0 (key) S S; template1 S S; template2 D -
        b.f(2, 2).f(2, 2).f(2, 2).f(2, 2).f(2, 1).f(2, 0);
        // fdiffs: template0 none; template1 {2}; template2 {1}
        b.f(1, 0).f(1, 1).f(4, 1).f(1, 0).f(1, 1).f(4, 0).f(1, 0);
        // chains: chain_cnt = ns(3) = 1 -> w=2, m=1, v=f(1): value 1 -> v=1 >= m, extra bit 0: (1<<1)-1+0 = 1
        b.f(1, 1).f(1, 0);
        // decode_target_protected_by ns(1): w=1, m=1, f(0) = 0 -> 0 (no bits)
        b.f(4, 0).f(4, 2).f(4, 1);                                // template chain fdiffs
        b.f(1, 1).f(16, 639).f(16, 359);                          // render resolution 640x360
        return b;
    }

    @Test
    void readsTheStructureAndLaterFramesAgainstIt() throws ParseException {
        ByteBuffer key = l1t2KeyFrame().done();
        DependencyDescriptor d = DependencyDescriptor.read(key, 0, key.remaining(), null);
        assertThat(d.startOfFrame()).isTrue();
        assertThat(d.endOfFrame()).isTrue();
        assertThat(d.frameNumber()).isEqualTo(100);
        assertThat(d.structureAttached()).isTrue();
        DependencyStructure s = d.structure();
        assertThat(s.templateCount()).isEqualTo(3);
        assertThat(s.templateTemporalId()).containsExactly(0, 0, 1);
        assertThat(s.decodeTargetCount()).isEqualTo(2);
        assertThat(s.decodeTargetTemporalId()).containsExactly(1, 0);
        assertThat(s.templateFdiffs()[1]).containsExactly(2);
        assertThat(s.chainCount()).isEqualTo(1);
        assertThat(s.templateChainFdiff()[1]).containsExactly(2);
        assertThat(s.renderWidths()).containsExactly(640);
        assertThat(s.renderHeights()).containsExactly(360);
        assertThat(d.activeDecodeTargets()).isEqualTo(3);

        // A 3-byte descriptor of a T1 frame (template 2): start, not end.
        ByteBuffer delta = new Bits().f(1, 1).f(1, 0).f(6, 2).f(16, 101).done();
        DependencyDescriptor t1 = DependencyDescriptor.read(delta, 0, 3, s);
        assertThat(t1.temporalId()).isEqualTo(1);
        assertThat(t1.endOfFrame()).isFalse();
        assertThat(t1.frameFdiffs()).containsExactly(1);
        assertThat(t1.inDecodeTarget(0)).isTrue();
        assertThat(t1.inDecodeTarget(1)).isFalse();

        // custom fdiffs: two references, 5 and 300 (12-bit size class)
        ByteBuffer custom = new Bits().f(1, 0).f(1, 1).f(6, 1).f(16, 102).f(5, 0b00010)
                .f(2, 1).f(4, 4).f(2, 3).f(12, 299).f(2, 0).done();
        DependencyDescriptor c = DependencyDescriptor.read(custom, 0, custom.remaining(), s);
        assertThat(c.frameFdiffs()).containsExactly(5, 300);
    }

    @Test
    void refusesWhatItCannotRead() {
        ByteBuffer delta = new Bits().f(1, 1).f(1, 0).f(6, 2).f(16, 101).done();
        assertThatThrownBy(() -> DependencyDescriptor.read(delta, 0, 3, null)).isInstanceOf(ParseException.class);
        ByteBuffer key = l1t2KeyFrame().done();
        assertThatThrownBy(() -> DependencyDescriptor.read(key, 0, 6, null)).isInstanceOf(ParseException.class);
        ByteBuffer badTemplate = new Bits().f(1, 1).f(1, 0).f(6, 9).f(16, 101).done();
        assertThatThrownBy(() -> DependencyDescriptor.read(badTemplate, 0, 3,
                DependencyDescriptor.read(key, 0, key.remaining(), null).structure()))
                .isInstanceOf(ParseException.class);
    }
}
