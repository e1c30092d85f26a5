package org.rtc4j.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * The ICE agent's per-datagram paths once connected (two agents wired back to back in memory): application
 * data in (demultiplexed from STUN, matched to the selected pair, returned by receive()), application
 * data out (a transmit on the selected pair), and answering a connectivity check (parse, HMAC-SHA1 check,
 * signed response). Scores are datagrams per second on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IceAgentBenchmark {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "192.0.2.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "192.0.2.2:5000");

    private IceAgent a;
    private IceAgent b;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private ByteBuffer datagram;
    private byte[] check;
    private long received;

    @Setup
    public void setUp() {
        a = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING).random(new Random(1))
                .consentInterval(Duration.ofDays(1)).build());
        b = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLED).random(new Random(2))
                .consentInterval(Duration.ofDays(1)).build());
        a.addLocalAddress(A);
        b.addLocalAddress(B);
        a.setRemoteCredentials(b.localCredentials().ufrag(), b.localCredentials().password());
        b.setRemoteCredentials(a.localCredentials().ufrag(), a.localCredentials().password());
        a.gather(now);
        b.gather(now);
        for (int i = 0; i < 1000 && !(connected(a) && connected(b)); i++) {
            exchange(a, b);
            exchange(b, a);
            now = now.plusMillis(10);
            a.handleTimeout(now);
            b.handleTimeout(now);
        }
        if (!connected(a) || !connected(b)) {
            throw new IllegalStateException("agents did not connect: " + a + " " + b);
        }
        datagram = ByteBuffer.allocate(1200);
        datagram.put(0, (byte) 23); // a DTLS application-data record, say
        check = StunMessage.request(StunMethod.BINDING)
                .add(StunAttribute.username(b.localCredentials().ufrag() + ":" + a.localCredentials().ufrag()))
                .add(StunAttribute.priority(1845501695L)).add(StunAttribute.iceControlling(1L << 62))
                .integrity(StunKey.shortTerm(b.localCredentials().password())).fingerprint().build().toBytes();
    }

    private static boolean connected(IceAgent agent) {
        return agent.connectionState() == IceConnectionState.CONNECTED
                || agent.connectionState() == IceConnectionState.COMPLETED;
    }

    private void exchange(IceAgent from, IceAgent to) {
        for (Transmit t; (t = from.pollTransmit()) != null; ) {
            to.handleInput(now, t.source(), t.destination(), t.payload());
        }
        for (IceEvent e; (e = from.pollEvent()) != null; ) {
            if (e instanceof IceEvent.LocalCandidate c) {
                to.addRemoteCandidate(c.candidate());
            }
        }
    }

    @Benchmark
    public long receiveData() {
        datagram.clear();
        ByteBuffer data = b.receive(now, A, B, datagram);
        received += data == null ? 0 : data.remaining();
        return received;
    }

    @Benchmark
    public void sendData(Blackhole hole) {
        datagram.clear();
        a.send(now, datagram);
        hole.consume(a.pollTransmit());
    }

    @Benchmark
    public void answerCheck(Blackhole hole) {
        b.handleInput(now, A, B, ByteBuffer.wrap(check));
        hole.consume(b.pollTransmit());
    }
}
