package org.rtc4j;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message that arrived on a data channel (the {@code message} event): text when the peer sent a string,
 * binary otherwise. The bytes are the receiver's to keep (no copy was made for this event).
 */
public final class MessageEvent {

    private final byte[] data;
    private final boolean binary;
    private String text;

    MessageEvent(byte[] data, boolean binary) {
        this.data = data;
        this.binary = binary;
    }

    /** Whether the peer sent binary data (an ArrayBuffer or Blob) rather than a string. */
    public boolean isBinary() {
        return binary;
    }

    /** The message decoded as UTF-8 (what a string message holds). */
    public String text() {
        if (text == null) {
            text = new String(data, StandardCharsets.UTF_8);
        }
        return text;
    }

    /** The raw bytes (UTF-8 for text messages); the array is the caller's. */
    public byte[] bytes() {
        return data;
    }

    /** The bytes as a read-only buffer. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The number of bytes. */
    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return binary ? "MessageEvent[binary, " + data.length + " bytes]" : "MessageEvent[text '" + text() + "']";
    }
}
