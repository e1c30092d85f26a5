package org.rtc4j.bench.sctp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SendOptions;

/**
 * Two associations in one JVM, no loss: 64 KiB messages on one reliable ordered stream. The score is
 * messages per second; times 64 KiB it is the throughput (MB/s = score / 16).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SctpThroughput -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SctpThroughputBenchmark {

    static final int MESSAGE = 64 * 1024;
    static final int BATCH = 256;

    /** I-DATA (RFC 8260) when true, plain DATA when false. */
    @Param({"true", "false"})
    public boolean interleaving;

    /** MAX_PLPMTU (path MTU discovery, RFC 8899): 1200 keeps every packet at the base; try -p maxMtu=16384. */
    @Param({"1200"})
    public int maxMtu;

    private InMemoryPair pair;
    private final byte[][] messages = new byte[BATCH][];

    @Setup(Level.Trial)
    public void setUp() {
        pair = new InMemoryPair(SctpSettings.defaults().withBuffers(8 << 20, 16L << 20).withInterleaving(interleaving)
                .withMaxMtu(maxMtu));
        for (int i = 0; i < BATCH; i++) {
            messages[i] = new byte[MESSAGE];
            messages[i][0] = (byte) i;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long reliableOrdered64KiB() {
        long target = pair.delivered + BATCH;
        int queued = 0;
        while (pair.delivered < target) {
            while (queued < BATCH && pair.a.send(0, 53, messages[queued], SendOptions.RELIABLE)) {
                queued++;
            }
            pair.step();
        }
        return pair.deliveredBytes;
    }
}
