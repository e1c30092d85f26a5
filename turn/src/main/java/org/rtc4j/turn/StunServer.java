package org.rtc4j.turn;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * A STUN server (RFC 8489 section 6.3) as a sans-IO engine: it answers Binding requests with the
 * requester's address in XOR-MAPPED-ADDRESS. It keeps no state between messages, so it needs no timers and
 * raises no events.
 *
 * <p>Nothing the network sends makes it throw: malformed messages are dropped and counted, requests with
 * comprehension-required attributes it does not know get 420 with UNKNOWN-ATTRIBUTES, requests for other
 * methods get 400, and indications and responses are ignored. Responses hold only what the RFC asks for
 * (no SOFTWARE), plus FINGERPRINT when the request had one.
 */
public final class StunServer implements Engine<Void> {

    /** A bound on queued responses: a driver that stops polling cannot make the engine grow without end. */
    private static final int MAX_QUEUED = 1024;

    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private long bindingResponses;
    private long errorResponses;
    private long malformed;
    private long ignored;

    /** A server with all counters at zero. */
    public StunServer() {
        // stateless: nothing to set up
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        StunMessage request;
        try {
            request = StunMessage.parse(data);
        } catch (ParseException e) {
            malformed++;
            return;
        }
        if (request.messageClass() != StunClass.REQUEST) {
            // RFC 8489 section 6.3.2: a Binding indication needs no answer; responses are not ours.
            ignored++;
            return;
        }
        StunMessage.Builder response;
        List<Integer> unknown = request.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            // RFC 8489 section 6.3.1.1.
            response = request.errorResponse(420, "Unknown Attribute")
                    .add(new StunAttribute.UnknownAttributes(unknown));
            errorResponses++;
        } else if (request.method() != StunMethod.BINDING) {
            response = request.errorResponse(400, "Bad Request");
            errorResponses++;
        } else {
            // RFC 8489 section 6.3.1.1: the source transport address, XOR-ed.
            response = request.successResponse()
                    .add(StunAttribute.xorMappedAddress(source.ip(), source.port()));
            bindingResponses++;
        }
        if (request.hasFingerprint()) {
            response.fingerprint(); // answer in kind: ICE peers demultiplex on it
        }
        if (transmits.size() >= MAX_QUEUED) {
            ignored++;
            return;
        }
        transmits.add(new Transmit(destination, source, response.build().asBuffer()));
    }

    @Override
    public void handleTimeout(Instant now) {
        // Stateless: nothing ever times out.
    }

    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    @Override
    public Void pollEvent() {
        return null;
    }

    @Override
    public Instant pollTimeout() {
        return null;
    }

    /** Binding success responses sent. */
    public long bindingResponses() {
        return bindingResponses;
    }

    /** Error responses sent (400, 420). */
    public long errorResponses() {
        return errorResponses;
    }

    /** Datagrams dropped because they were not well-formed STUN. */
    public long malformed() {
        return malformed;
    }

    /** Well-formed messages that needed no answer (indications, responses), and answers dropped at the bound. */
    public long ignored() {
        return ignored;
    }
}
