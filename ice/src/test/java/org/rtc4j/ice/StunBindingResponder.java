package org.rtc4j.ice;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * Answers STUN Binding requests with the source address (RFC 8489 section 7.3.1), so that agents on the
 * simulated network gather server-reflexive candidates. Nothing else: the relay cases run against the real
 * TURN server in module turn (ice cannot depend on it).
 */
final class StunBindingResponder implements Engine<Void> {

    private final TransportAddress address;
    private final ArrayDeque<Transmit> out = new ArrayDeque<>();

    StunBindingResponder(TransportAddress address) {
        this.address = address;
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        try {
            StunMessage m = StunMessage.parse(data);
            if (m.messageClass() == StunClass.REQUEST && m.method() == StunMethod.BINDING) {
                out.add(new Transmit(address, source, m.successResponse()
                        .add(StunAttribute.xorMappedAddress(source.ip(), source.port())).fingerprint().build()
                        .asBuffer()));
            }
        } catch (ParseException e) {
            // not STUN: dropped
        }
    }

    @Override
    public void handleTimeout(Instant now) {
    }

    @Override
    public Transmit pollTransmit() {
        return out.poll();
    }

    @Override
    public Void pollEvent() {
        return null;
    }

    @Override
    public Instant pollTimeout() {
        return null;
    }
}
