package org.rtc4j.bench.dtls;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.dtls.DtlsCertificate;

/**
 * DTLS: a whole handshake between two endpoints in memory (warm JVM, certificates made once, ECDSA P-256,
 * X25519, AES-128-GCM), and record throughput after it (encrypt on one side, decrypt and deliver on the
 * other, per record).
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main Dtls -f 1 -wi 3 -i 5}
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DtlsBenchmark {

    @State(Scope.Benchmark)
    public static class Identities {
        final DtlsCertificate client = DtlsCertificate.generate();
        final DtlsCertificate server = DtlsCertificate.generate();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object handshake(Identities ids) throws InterruptedException {
        InMemoryPair pair = new InMemoryPair(ids.client, ids.server);
        pair.handshake();
        pair.close();
        return pair;
    }

    @State(Scope.Thread)
    public static class Connected {
        @Param({"1000", "100"})
        public int size;
        InMemoryPair pair;
        byte[] record;

        @Setup(Level.Trial)
        public void connect(Identities ids) throws InterruptedException {
            pair = new InMemoryPair(ids.client, ids.server);
            pair.handshake();
            record = new byte[size];
        }

        @TearDown(Level.Trial)
        public void close() {
            pair.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int record(Connected c) {
        c.pair.client.send(c.record, 0, c.record.length);
        return InMemoryPair.deliver(c.pair.client, c.pair.server);
    }
}
