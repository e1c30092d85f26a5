package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.payload.Packetizer.PayloadSink;

/**
 * The one buffer a packetizer writes its payloads into, reused for every payload (the sink copies what it keeps),
 * so packetizing allocates nothing once the buffer has grown to the payload size.
 */
final class PayloadWriter {

    private byte[] bytes = new byte[0];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    private int length;
    private int limit;

    /** Starts a payload of at most {@code max} bytes. */
    void begin(int max) {
        if (bytes.length < max) {
            bytes = new byte[max];
            view = ByteBuffer.wrap(bytes);
        }
        length = 0;
        limit = max;
    }

    int room() {
        return limit - length;
    }

    void put(int b) {
        bytes[length++] = (byte) b;
    }

    void put(byte[] src, int off, int len) {
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    /** Writes {@code value} in the fewest LEB128 bytes (AV1 spec 4.10.5). */
    void putLeb128(int value) {
        length = Leb128.write(value, bytes, length);
    }

    /** Overwrites a byte already written, e.g. a header whose bits are known only at the end. */
    void set(int index, int b) {
        bytes[index] = (byte) b;
    }

    int byteAt(int index) {
        return bytes[index] & 0xFF;
    }

    void emit(PayloadSink out, boolean marker) {
        view.clear().limit(length);
        out.payload(view, marker);
    }
}
