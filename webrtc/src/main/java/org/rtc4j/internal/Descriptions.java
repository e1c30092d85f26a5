package org.rtc4j.internal;

import java.util.Optional;
import org.rtc4j.OperationError;
import org.rtc4j.sdp.DataChannelParameters;
import org.rtc4j.sdp.SdpParseException;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.sdp.TransportParameters;

/** Reading back descriptions the negotiator already accepted once: what fails now is an OperationError. */
final class Descriptions {

    private Descriptions() {
    }

    /**
     * The transport a description gives, with what it says of the data channels: from its data section, or for
     * a description with media only (a browser call without a data channel) from the BUNDLE group's transport,
     * with no SCTP port (SCTP then does not start).
     */
    static DataChannelParameters transportOf(SessionDescription sd) throws SdpParseException {
        if (sd.media().stream().anyMatch(m -> m.isDataChannel() && !m.isRejected())) {
            return DataChannelParameters.read(sd);
        }
        TransportParameters t = TransportParameters.read(sd);
        return new DataChannelParameters(t.mediaIndex(), t.mid(), t.iceUfrag(), t.icePwd(), t.iceLite(),
                t.iceOptions(), t.fingerprints(), t.setup(), 0, 0, 0, t.candidates(), t.endOfCandidates(),
                Optional.empty(), 9, false);
    }

    static SessionDescription parse(String sdp, String what) {
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpParseException e) {
            throw new OperationError(what + " no longer parses: " + e.getMessage(), e);
        }
    }
}
