package org.rtc4j.bench.signaling;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.rtc4j.server.signaling.Client;
import org.rtc4j.server.signaling.Outbound;
import org.rtc4j.server.signaling.SignalingHub;
import org.rtc4j.server.signaling.SignalingSettings;

/** The hub's cost per relayed message (parse, validate, build, hand to the peer), without sockets. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignalingHubBenchmark {
    private static final String MESSAGE = "{\"type\":\"message\",\"data\":{\"t\":123456789012,\"s\":42,\"r\":\"p1-1234\"}}";
    private static final String CANDIDATE = "{\"type\":\"candidate\",\"data\":{\"candidate\":\"candidate:1 1 udp"
            + " 2122260223 127.0.0.1 54321 typ host generation 0 ufrag abcd network-id 1\",\"sdpMid\":\"0\","
            + "\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}}";

    private SignalingHub hub;
    private Client sender;
    private Blackhole sink;
    private long now;

    @Setup
    public void setUp(Blackhole bh) {
        sink = bh;
        hub = new SignalingHub(SignalingSettings.defaults().withRate(1e12, 1_000_000));
        Outbound out = new Outbound() {
            @Override
            public void send(String text) {
                sink.consume(text);
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        sender = hub.connect(out, 0);
        Client receiver = hub.connect(out, 0);
        hub.receive(sender, "{\"type\":\"join\",\"room\":\"bench\"}", 0);
        hub.receive(receiver, "{\"type\":\"join\",\"room\":\"bench\"}", 0);
    }

    @Benchmark
    public void relayMessage() {
        hub.receive(sender, MESSAGE, now += 1000);
    }

    @Benchmark
    public void relayCandidate() {
        hub.receive(sender, CANDIDATE, now += 1000);
    }
}
