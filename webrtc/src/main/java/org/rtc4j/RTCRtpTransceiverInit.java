package org.rtc4j;

import java.util.List;
import java.util.Objects;
import org.rtc4j.media.MediaStream;

/** {@code RTCRtpTransceiverInit} (W3C section 5.1): the direction, the track's streams, the encodings. */
public record RTCRtpTransceiverInit(RTCRtpTransceiverDirection direction, List<MediaStream> streams,
                                    List<RTCRtpEncodingParameters> sendEncodings) {

    public RTCRtpTransceiverInit {
        Objects.requireNonNull(direction, "direction");
        if (direction == RTCRtpTransceiverDirection.STOPPED) {
            throw new TypeError("a transceiver cannot be created stopped");
        }
        streams = List.copyOf(streams);
        sendEncodings = List.copyOf(sendEncodings);
    }

    /** sendrecv, no streams, one encoding. */
    public static RTCRtpTransceiverInit defaults() {
        return new RTCRtpTransceiverInit(RTCRtpTransceiverDirection.SENDRECV, List.of(), List.of());
    }

    public RTCRtpTransceiverInit withDirection(RTCRtpTransceiverDirection d) {
        return new RTCRtpTransceiverInit(d, streams, sendEncodings);
    }

    public RTCRtpTransceiverInit withStreams(MediaStream... s) {
        return new RTCRtpTransceiverInit(direction, List.of(s), sendEncodings);
    }

    /** The encodings to send (checked by addTransceiver); none means one default encoding. */
    public RTCRtpTransceiverInit withSendEncodings(RTCRtpEncodingParameters... e) {
        return new RTCRtpTransceiverInit(direction, streams, List.of(e));
    }
}
