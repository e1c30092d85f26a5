package org.rtc4j.sctp.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.Pumped;
import org.rtc4j.testkit.pump.SimPump;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimNetwork;

/** Every channel type at once over a lossy, reordering simulated link. */
class LossyChannelsTest {

    @Test
    void everyChannelTypeKeepsItsPromiseUnderLoss() {
        SimPump net = EnginePump.simulated(new SimNetwork(11));
        DataChannels c = new DataChannels(SctpSettings.defaults().withRandom(new Random(1)), true, 0);
        DataChannels s = new DataChannels(SctpSettings.defaults().withRandom(new Random(2)), false, 0);
        EnginePump.Pair<DataChannelEvent> pair = net.pair(c, s);
        Pumped<DataChannelEvent> ss = pair.b();
        net.link(pair).configure(LinkConfig.builder().delay(Duration.ofMillis(15)).jitter(Duration.ofMillis(5))
                .loss(0.1).duplicate(0.02).build());
        DataChannel reliable = c.createDataChannel("reliable", DataChannelOptions.reliable());
        DataChannel unordered = c.createDataChannel("unordered", DataChannelOptions.reliable().unordered());
        DataChannel rexmit = c.createDataChannel("rexmit0", DataChannelOptions.reliable().maxRetransmits(0));
        DataChannel timed = c.createDataChannel("timed", DataChannelOptions.reliable().unordered()
                .maxPacketLifeTime(50));
        c.connect(net.now());
        assertThat(net.runUntil(() -> timed.state() == DataChannelState.OPEN
                && ss.events().stream().filter(e -> e instanceof DataChannelEvent.Incoming).count() == 4,
                Duration.ofSeconds(30))).isTrue();
        int n = 500;
        for (int i = 0; i < n; i++) {
            String text = Integer.toString(i);
            reliable.send(text);
            unordered.send(text);
            rexmit.send(text);
            timed.send(text);
            if (i % 10 == 0) {
                net.runFor(Duration.ofMillis(10));
            }
        }
        net.runFor(Duration.ofSeconds(60));
        assertThat(c.association().state()).isEqualTo(SctpState.ESTABLISHED);
        List<Integer> rel = received(ss, "reliable");
        List<Integer> unord = received(ss, "unordered");
        List<Integer> rx0 = received(ss, "rexmit0");
        List<Integer> tm = received(ss, "timed");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        assertThat(rel).isEqualTo(all);
        assertThat(unord).containsExactlyInAnyOrderElementsOf(all);
        assertThat(rx0).isSorted().doesNotHaveDuplicates().hasSizeLessThan(n).hasSizeGreaterThan(n / 2);
        assertThat(tm).doesNotHaveDuplicates().hasSizeGreaterThan(n / 2);
    }

    private static List<Integer> received(Pumped<DataChannelEvent> e, String label) {
        return e.events().stream().filter(x -> x instanceof DataChannelEvent.Message m
                && m.channel().label().equals(label)).map(x -> Integer.parseInt(((DataChannelEvent.Message) x).text()))
                .toList();
    }
}
