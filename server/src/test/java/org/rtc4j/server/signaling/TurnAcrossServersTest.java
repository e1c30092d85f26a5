package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.turn.TurnClient;
import org.rtc4j.ice.turn.TurnEvent;
import org.rtc4j.server.EngineRunner;
import org.rtc4j.server.web.TurnCredentials;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/**
 * Two servers sharing a real redis-server share one TURN secret, so the time-limited credentials server A
 * hands out (as its {@code /api/ice-servers} does) allocate a relay on server B's TURN server, over real
 * UDP on loopback; credentials made with another secret are refused with 401.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TurnAcrossServersTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    @Test
    void serverAsCredentialsAllocateOnServerBsTurnAndAWrongSecretIsRefused() throws Exception {
        List<RedisCluster> clusters = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            // Each server proposes its own random secret, as `demo --redis` without --turn-secret does.
            String[] secrets = new String[2];
            for (int i = 0; i < 2; i++) {
                RedisCluster c = RedisCluster.connect(redis.url(), "turn:");
                clusters.add(c);
                byte[] proposal = new byte[16];
                new SecureRandom().nextBytes(proposal);
                secrets[i] = c.sharedTurnSecret(HexFormat.of().formatHex(proposal).getBytes(StandardCharsets.UTF_8));
            }
            TurnServer serverB = new TurnServer(TurnServerConfig.builder().realm("rtc4j").authSecret(secrets[1])
                    .relayAddress(LO).allowLoopbackPeers(true).build());
            try (EngineRunner turnB = EngineRunner.start(serverB, List.of(TransportAddress.udp(LO, 0)))) {
                TransportAddress b = turnB.localAddresses().get(0);
                long expiry = Instant.now().getEpochSecond() + 600;
                TurnCredentials fromA = TurnCredentials.issue(secrets[0].getBytes(StandardCharsets.UTF_8), "rtc4j-a1", expiry);
                TurnEvent ok = allocate(b, fromA);
                assertThat(ok).as("server A's credentials on server B").isInstanceOf(TurnEvent.Allocated.class);
                assertThat(((TurnEvent.Allocated) ok).relayed().ip()).isEqualTo(LO);

                TurnCredentials forged = TurnCredentials.issue("not-the-secret".getBytes(StandardCharsets.UTF_8),
                        "rtc4j-a2", expiry);
                TurnEvent refused = allocate(b, forged);
                assertThat(refused).isInstanceOf(TurnEvent.Failed.class);
                assertThat(((TurnEvent.Failed) refused).code()).isEqualTo(401);
            }
        } finally {
            clusters.forEach(RedisCluster::halt);
        }
    }

    /** Runs module ice's TURN client over a UDP socket until its allocation succeeds or fails. */
    private static TurnEvent allocate(TransportAddress server, TurnCredentials creds) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, LO)) {
            socket.setSoTimeout(20);
            TransportAddress local = TransportAddress.udp(LO, socket.getLocalPort());
            TurnClient client = new TurnClient(local, server, creds.username(), creds.password(), new Random());
            client.allocate(Instant.now());
            byte[] buf = new byte[2048];
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < end; ) {
                for (Transmit t = client.pollTransmit(); t != null; t = client.pollTransmit()) {
                    byte[] bytes = t.bytes();
                    socket.send(new DatagramPacket(bytes, bytes.length, t.destination().ip(), t.destination().port()));
                }
                for (TurnEvent e = client.pollEvent(); e != null; e = client.pollEvent()) {
                    if (e instanceof TurnEvent.Allocated || e instanceof TurnEvent.Failed) {
                        return e;
                    }
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    client.handleInput(Instant.now(), TransportAddress.udp(p.getAddress(), p.getPort()), local,
                            ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                } catch (SocketTimeoutException quiet) {
                    client.handleTimeout(Instant.now());
                }
            }
            throw new AssertionError("no allocation result within 20 s: " + client);
        }
    }
}
