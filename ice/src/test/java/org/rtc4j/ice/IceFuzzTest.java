package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * Candidate lines and datagrams from the network: a candidate line is a candidate that writes back to
 * itself or an {@link IllegalArgumentException}; a datagram never makes the agent throw. In the suite
 * Jazzer runs the seeds in {@code src/test/resources/org/rtc4j/ice/IceFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes.
 */
class IceFuzzTest {

    private static final TransportAddress LOCAL = TransportAddress.parse(Transport.UDP, "127.0.0.1:5000");
    private static final TransportAddress REMOTE = TransportAddress.parse(Transport.UDP, "127.0.0.1:6000");

    @FuzzTest(maxDuration = "10m")
    void candidateLines(byte[] data) {
        String line = new String(data, StandardCharsets.UTF_8);
        IceCandidate c;
        try {
            c = IceCandidate.parse(line);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertThat(IceCandidate.parse(c.toSdp())).isEqualTo(c);
    }

    @FuzzTest(maxDuration = "10m")
    void agentInput(byte[] data) {
        IceAgent agent = new IceAgent(IceConfig.builder().random(new Random(1)).build());
        agent.addLocalAddress(LOCAL);
        Instant now = Instant.EPOCH;
        agent.gather(now);
        agent.setRemoteCredentials("abcd", "0123456789012345678901");
        agent.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.1 6000 typ host");
        agent.handleTimeout(now);
        agent.handleInput(now, REMOTE, LOCAL, ByteBuffer.wrap(data));
        agent.handleTimeout(now.plusSeconds(1));
        while (agent.pollTransmit() != null) {
            // drain
        }
        assertThat(agent.stats().dataReceived()).isZero();
    }
}
