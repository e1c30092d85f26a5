package org.rtc4j.codec.opus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LeakageModelTest {

    @Test
    void theFastSpectrumIsTheWindowedDft() {
        Random r = new Random(5);
        float[] x = new float[960];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (20_000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0) + 3000 * r.nextGaussian());
        }
        LeakageModel model = new LeakageModel();
        model.load(x);
        model.spectrum();
        double max = 0;
        double[] naive = new double[240];
        for (int k = 0; k < 240; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < 960; n++) {
                double w = Math.pow(Math.sin(Math.PI * (n + .5) / 960), 2);
                re += x[n] * w * Math.cos(2 * Math.PI * k * n / 960);
                im -= x[n] * w * Math.sin(2 * Math.PI * k * n / 960);
            }
            naive[k] = re * re + im * im;
            max = Math.max(max, naive[k]);
        }
        for (int k = 0; k < 240; k++) {
            assertThat((double) model.binEnergy(k)).as("bin %d", k).isCloseTo(naive[k], org.assertj.core.data.Offset.offset(max * 1e-5));
        }
    }

    @Test
    void bandsBesideALoudToneAreBoostedAndQuietInputIsNot() {
        short[] tone = new short[960 * 2];
        for (int i = 0; i < 960; i++) {
            // 1.1 kHz (band 5, 1000-1200 Hz) over quiet noise
            tone[2 * i] = (short) (16_000 * Math.sin(2 * Math.PI * 1100 * i / 48_000.0) + (i * 7919 % 61) - 30);
            tone[2 * i + 1] = tone[2 * i];
        }
        LeakageModel model = new LeakageModel();
        AnalysisInfo info = new AnalysisInfo();
        model.analyse(new short[960 * 2], 0, 960, 2, info);
        assertThat(info.leak_valid).isTrue();
        assertThat(info.leak_boost).containsOnly(0);
        model.analyse(tone, 0, 960, 2, info);
        assertThat(info.leak_boost[5]).as("the peak").isGreaterThan(0);
        assertThat(info.leak_boost[6]).as("above the peak").isGreaterThan(0);
        assertThat(info.leak_boost[18]).as("far from it").isZero();
        assertThat(java.util.Arrays.stream(info.leak_boost)).allSatisfy(b -> assertThat(b).isBetween(0, 255));
    }
}
