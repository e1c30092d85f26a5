package org.rtc4j.bench.srtp;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/**
 * SRTP protect and unprotect, packets per second on one thread, per profile and payload size. Each operation
 * also copies the packet into the work buffer (the transform is in place).
 *
 * <p>Unprotect needs packets it has not seen (the replay window drops the rest): it cycles through
 * {@value #RING} pre-protected packets and takes a fresh receiving context after each pass, which adds the
 * key derivation of one context per {@value #RING} packets to the figure.
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main Srtp -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SrtpBenchmark {

    static final int RING = 8192;

    @Param({"AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public SrtpProfile profile;

    @Param({"1200", "100"})
    public int payload;

    private SrtpMasterKey key;
    private SrtpContext sender;
    private SrtpContext receiver;
    private byte[] plain;
    private byte[] work;
    private byte[][] sealed;
    private int[] sealedLength;
    private int seq;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        byte[] k = new byte[profile.keyLength()];
        byte[] s = new byte[profile.saltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        key = new SrtpMasterKey(profile, k, s);
        sender = new SrtpContext(key);
        receiver = new SrtpContext(key);
        plain = new byte[12 + payload];
        r.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 111;
        work = new byte[plain.length + profile.rtpOverhead()];
        SrtpContext ringSender = new SrtpContext(key);
        sealed = new byte[RING][];
        sealedLength = new int[RING];
        for (int i = 0; i < RING; i++) {
            byte[] p = new byte[work.length];
            System.arraycopy(plain, 0, p, 0, plain.length);
            p[2] = (byte) (i >>> 8);
            p[3] = (byte) i;
            sealedLength[i] = ringSender.protectRtp(p, 0, plain.length);
            sealed[i] = p;
        }
    }

    @Benchmark
    public int protect() {
        System.arraycopy(plain, 0, work, 0, plain.length);
        int s = seq++;
        work[2] = (byte) (s >>> 8);
        work[3] = (byte) s;
        return sender.protectRtp(work, 0, plain.length);
    }

    @Benchmark
    public int unprotect() {
        int i = next;
        byte[] p = sealed[i];
        int n = sealedLength[i];
        System.arraycopy(p, 0, work, 0, n);
        int result = receiver.unprotectRtp(work, 0, n);
        if (result < 0) {
            throw new IllegalStateException("benchmark packet " + i + " dropped");
        }
        if (++next == RING) {
            next = 0;
            receiver = new SrtpContext(key);
        }
        return result;
    }
}
