package org.rtc4j.ice.stun;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.rtc4j.core.Bytes;

/**
 * The 96-bit transaction id of a STUN message (RFC 8489 section 5). Held as two numbers rather than an
 * array, so it is cheap to compare, hash and keep as a map key while a transaction is outstanding.
 */
public final class TransactionId {

    public static final int LENGTH = 12;

    /**
     * Made at the first {@link #random()}, not when the class is: a server that parses ids and makes them from
     * its own generator never builds the JCA's providers for it (issue 23).
     */
    private static final class Strong {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private final int high;
    private final long low;

    private TransactionId(int high, long low) {
        this.high = high;
        this.low = low;
    }

    /** A fresh id from a cryptographically strong generator (RFC 8489 section 6: it must be unguessable). */
    public static TransactionId random() {
        return random(Strong.RANDOM);
    }

    /** A fresh id from {@code random}: a strong generator, or a seeded one in a simulation that replays a run. */
    public static TransactionId random(RandomGenerator random) {
        return new TransactionId(random.nextInt(), random.nextLong());
    }

    /** The id held in {@code bytes[offset .. offset + 12)}. */
    public static TransactionId of(byte[] bytes, int offset) {
        long low = (Bytes.getU32(bytes, offset + 4) << 32) | Bytes.getU32(bytes, offset + 8);
        return new TransactionId((int) Bytes.getU32(bytes, offset), low);
    }

    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + bytes.length);
        }
        return of(bytes, 0);
    }

    /** Writes the 12 bytes at {@code offset}. */
    public void writeTo(byte[] out, int offset) {
        Bytes.putU32(out, offset, high);
        Bytes.putU64(out, offset + 4, low);
    }

    public byte[] bytes() {
        byte[] out = new byte[LENGTH];
        writeTo(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && other.high == high && other.low == low;
    }

    @Override
    public int hashCode() {
        return 31 * high + Long.hashCode(low);
    }

    @Override
    public String toString() {
        return Bytes.hex(bytes());
    }
}
