package org.rtc4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rtc4j.core.ParseException;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/**
 * The STUN codec on the message ICE sends most: a Binding request with USERNAME, PRIORITY,
 * ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT (RFC 8445 section 7.1.1). Scores are
 * messages per second on one thread; add {@code -prof gc} for bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StunCodecBenchmark {

    private StunKey key;
    private TransactionId id;
    private ByteBuffer request;
    private ByteBuffer out;

    @Setup
    public void setUp() {
        key = StunKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBt");
        id = TransactionId.random();
        request = ByteBuffer.wrap(build().toBytes());
        out = ByteBuffer.allocate(1500);
    }

    /** Parse, check FINGERPRINT and MESSAGE-INTEGRITY, read one attribute. */
    @Benchmark
    public long parseAndVerify() throws ParseException {
        StunMessage m = StunMessage.parse(request);
        if (!m.verifyIntegrity(key)) {
            throw new IllegalStateException("integrity");
        }
        return m.get(org.rtc4j.ice.stun.StunAttributeType.PRIORITY).value();
    }

    /** Build, sign, fingerprint and write into a reused buffer. */
    @Benchmark
    public int buildAndWrite() {
        out.clear();
        build().writeTo(out);
        return out.position();
    }

    private StunMessage build() {
        return StunMessage.builder(StunMethod.BINDING, org.rtc4j.ice.stun.StunClass.REQUEST, id)
                .add(StunAttribute.username("evtj:h6vY"))
                .add(StunAttribute.priority(0x6e0001ffL))
                .add(StunAttribute.iceControlling(0x932ff9b151263b36L))
                .add(StunAttribute.useCandidate())
                .integrity(key)
                .fingerprint()
                .build();
    }
}
