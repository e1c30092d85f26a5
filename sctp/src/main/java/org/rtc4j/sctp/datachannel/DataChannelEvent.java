package org.rtc4j.sctp.datachannel;

import java.nio.charset.StandardCharsets;

/** What the data channel layer reports. */
public sealed interface DataChannelEvent {

    DataChannel channel();

    /** A channel we created can carry data now. */
    record Open(DataChannel channel) implements DataChannelEvent {
    }

    /** The peer opened a channel (W3C ondatachannel); it is open already. */
    record Incoming(DataChannel channel) implements DataChannelEvent {
    }

    /** A message (W3C onmessage): text or binary, as the sender sent it. */
    record Message(DataChannel channel, byte[] data, boolean binary) implements DataChannelEvent {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    record BufferedAmountLow(DataChannel channel) implements DataChannelEvent {
    }

    record Closing(DataChannel channel) implements DataChannelEvent {
    }

    record Closed(DataChannel channel) implements DataChannelEvent {
    }
}
