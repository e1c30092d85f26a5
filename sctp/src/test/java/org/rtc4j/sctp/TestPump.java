package org.rtc4j.sctp;

import java.time.Instant;
import java.util.List;

/** The in-test pump, opened to tests in other packages. */
public final class TestPump {

    private final Pump pump;

    public TestPump(org.rtc4j.sctp.datachannel.DataChannels a, org.rtc4j.sctp.datachannel.DataChannels b,
                    long seed) {
        pump = new Pump(a, b, seed);
    }

    public Instant instant() {
        return pump.instant();
    }

    public void runMillis(long ms) {
        pump.run(Pump.ms(ms));
    }

    public List<Object> events(int side) {
        return pump.events.get(side);
    }

    public void loss(double p) {
        pump.loss = p;
    }
}
