package org.rtc4j.dtls.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Our side of the record layer (RFC 6347 section 4.1): sequence numbers per epoch, epoch 1 sealed with
 * {@link RecordProtection}, records packed into datagrams of at most the MTU (4.1.1 allows several records
 * per datagram), handshake messages fragmented to fit (4.2.3). Application data is sealed into datagram buffers
 * of the MTU's size that {@link #poll(ByteBuffer)} copies out and takes back: none is allocated per datagram.
 */
final class RecordWriter {

    static final int HEADER = 13;
    /** Most buffers kept for reuse: a burst's worth of datagrams (about 300 KB at a 1,200-byte MTU). */
    static final int SPARE_BUFFERS = 256;

    private final int mtu;
    /** Datagrams ready to send, each flipped (position 0, limit its length). */
    private final ArrayDeque<ByteBuffer> datagrams = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    private final long[] nextSeq = new long[2];
    private RecordProtection protection;
    private byte[] current;
    private int currentLength;

    RecordWriter(int mtu) {
        this.mtu = mtu;
    }

    void protect(RecordProtection protection) {
        this.protection = protection;
    }

    boolean hasProtection() {
        return protection != null;
    }

    /** The most plaintext one record of epoch 1 carries in a datagram of {@code size} bytes. */
    static int maxPlaintext(int size) {
        return Math.max(0, Math.min(1 << 14, size - HEADER - RecordProtection.OVERHEAD));
    }

    /**
     * One handshake message, fragmented to fit the MTU; the fragments join the datagram being filled. An
     * empty message is one empty fragment.
     */
    void handshake(int epoch, int type, int seq, byte[] body) {
        int room = mtu - HEADER - Reassembler.HEADER - (epoch > 0 ? RecordProtection.OVERHEAD : 0);
        int offset = 0;
        do {
            int n = Math.min(room, body.length - offset);
            byte[] fragment = new byte[Reassembler.HEADER + n];
            fragment[0] = (byte) type;
            put24(fragment, 1, body.length);
            fragment[4] = (byte) (seq >>> 8);
            fragment[5] = (byte) seq;
            put24(fragment, 6, offset);
            put24(fragment, 9, n);
            System.arraycopy(body, offset, fragment, Reassembler.HEADER, n);
            record(22, epoch, fragment, 0, fragment.length);
            offset += n;
        } while (offset < body.length);
    }

    /** One record; it joins the datagram being filled if it fits there. */
    void record(int type, int epoch, byte[] payload, int off, int len) {
        int size = HEADER + len + (epoch > 0 ? RecordProtection.OVERHEAD : 0);
        if (current == null || currentLength + size > Math.max(mtu, currentLength == 0 ? size : mtu)) {
            flush();
            current = new byte[Math.max(mtu, size)];
        }
        long seq = nextSeq[epoch]++;
        if (epoch > 0) {
            currentLength += protection.seal(type, epoch, seq, payload, off, len, current, currentLength);
            return;
        }
        byte[] d = current;
        int at = currentLength;
        d[at] = (byte) type;
        d[at + 1] = (byte) 0xFE;
        d[at + 2] = (byte) 0xFD;
        d[at + 3] = 0;
        d[at + 4] = 0;
        for (int i = 0; i < 6; i++) {
            d[at + 5 + i] = (byte) (seq >>> (8 * (5 - i)));
        }
        d[at + 11] = (byte) (len >>> 8);
        d[at + 12] = (byte) len;
        System.arraycopy(payload, off, d, at + HEADER, len);
        currentLength += size;
    }

    /** One record of epoch 1 (application data, alerts after the handshake), sealed straight into its datagram. */
    void sealed(int type, byte[] payload, int off, int len) {
        flush();
        int size = HEADER + len + RecordProtection.OVERHEAD;
        ByteBuffer last = datagrams.peekLast();
        if (last != null && last.limit() + size <= Math.min(mtu, last.capacity())) {
            // Records the driver has not sent yet share a datagram (4.1.1): fewer, fuller datagrams.
            protection.seal(type, 1, nextSeq[1]++, payload, off, len, last.array(), last.limit());
            last.limit(last.limit() + size);
            return;
        }
        ByteBuffer d = size <= mtu && !spare.isEmpty() ? spare.poll() : ByteBuffer.allocate(Math.max(mtu, size));
        protection.seal(type, 1, nextSeq[1]++, payload, off, len, d.array(), 0);
        datagrams.add(d.position(0).limit(size));
    }

    /** Ends the datagram being filled: it is ready to send. */
    void flush() {
        if (current != null && currentLength > 0) {
            datagrams.add(ByteBuffer.wrap(Arrays.copyOf(current, currentLength)));
        }
        current = null;
        currentLength = 0;
    }

    /** The next datagram in an array of its own, or null. */
    byte[] poll() {
        ByteBuffer d = datagrams.poll();
        if (d == null) {
            return null;
        }
        byte[] copy = Arrays.copyOf(d.array(), d.limit());
        recycle(d);
        return copy;
    }

    /**
     * The next datagram put into {@code into} at its position; false when there is none. A datagram larger
     * than {@code into}'s room stays queued and throws.
     */
    boolean poll(ByteBuffer into) {
        ByteBuffer d = datagrams.peek();
        if (d == null) {
            return false;
        }
        if (d.limit() > into.remaining()) {
            throw new IllegalArgumentException("a datagram of " + d.limit() + " bytes, room for " + into.remaining());
        }
        into.put(d.array(), 0, d.limit());
        recycle(datagrams.poll());
        return true;
    }

    private void recycle(ByteBuffer d) {
        if (d.capacity() == mtu && spare.size() < SPARE_BUFFERS) {
            spare.add(d.clear());
        }
    }

    int queued() {
        return datagrams.size();
    }

    private static void put24(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 16);
        d[at + 1] = (byte) (v >>> 8);
        d[at + 2] = (byte) v;
    }
}
