package org.rtc4j.turn;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The kernel's CSPRNG read straight from {@code /dev/urandom} (what the JDK's default {@code SecureRandom}
 * reads on Linux and macOS too), a block at a time, for the TURN server's nonce secret, relay ports and
 * reservation tokens (RFC 8656 section 7.2: hard to guess). Why not {@code new SecureRandom()}: its first
 * instance builds the JCA provider framework and the SUN provider, and every draw also runs a SHA1PRNG to mix
 * with, both interpreted in a server's first milliseconds (issue 23). Where there is no {@code /dev/urandom}
 * (Windows), a {@link SecureRandom}. Thread-safe.
 */
final class KernelRandom implements RandomGenerator {

    private static final String SOURCE = "/dev/urandom";
    /** Bytes read at a time: a server's start takes a few dozen draws. */
    private static final int BLOCK = 256;

    /** One per process (one file descriptor), made at first use. */
    private static final class Shared {
        static final RandomGenerator INSTANCE = create();
    }

    private final InputStream source;
    private final byte[] block = new byte[BLOCK];
    private int used = BLOCK;

    private KernelRandom(InputStream source) {
        this.source = source;
    }

    /** The process's kernel source, or a {@code SecureRandom} where it cannot be opened. */
    static RandomGenerator shared() {
        return Shared.INSTANCE;
    }

    private static RandomGenerator create() {
        try {
            return new KernelRandom(new FileInputStream(SOURCE));
        } catch (IOException | SecurityException e) {
            return new SecureRandom();
        }
    }

    @Override
    public synchronized long nextLong() {
        if (used > BLOCK - Long.BYTES) {
            refill();
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = v << 8 | (block[used++] & 0xFF);
        }
        return v;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; ) {
            long v = nextLong();
            for (int k = 0; k < Long.BYTES && i < bytes.length; k++, v >>>= 8) {
                bytes[i++] = (byte) v;
            }
        }
    }

    private void refill() {
        try {
            int n = 0;
            while (n < BLOCK) {
                int r = source.read(block, n, BLOCK - n);
                if (r < 0) {
                    throw new IOException(SOURCE + " ended");
                }
                n += r;
            }
            used = 0;
        } catch (IOException e) {
            // Never a weaker source: a server without randomness must not go on making guessable ports.
            throw new IllegalStateException("cannot read " + SOURCE + ": " + e.getMessage(), e);
        }
    }
}
