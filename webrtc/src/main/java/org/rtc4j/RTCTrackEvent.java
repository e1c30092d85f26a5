package org.rtc4j;

import java.util.List;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;

/**
 * The {@code track} event (W3C section 5.7): the peer sends media on a transceiver; {@code track} is the
 * receiver's, in the peer's {@code streams} (its a=msid).
 */
public record RTCTrackEvent(RTCRtpReceiver receiver, MediaStreamTrack track, List<MediaStream> streams,
                            RTCRtpTransceiver transceiver) {

    public RTCTrackEvent {
        streams = List.copyOf(streams);
    }
}
