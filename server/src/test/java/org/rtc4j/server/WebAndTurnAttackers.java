package org.rtc4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.Address;
import org.rtc4j.ice.stun.StunAttribute.Numeric;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;

/**
 * The attacks of issue 18 that {@link AttackLoadTest} runs beside its floods, each from its own loopback
 * address and bounded by counts: DNS rebinding, the per-address WebSocket client and room caps, a signaling
 * client that never reads, the join race, and on TURN the per-address Allocate quota with fresh REST user
 * names, EVEN-PORT reservations, another user's reservation token and forbidden peers. Each records what the
 * servers answered; the test asserts it.
 */
final class WebAndTurnAttackers {

    static final String REBINDER = "127.0.0.4";
    static final String WS_HOG = "127.0.0.5";
    static final String SLOW_WS = "127.0.0.6";
    static final String RACER = "127.0.0.7";
    static final String TURN_HOG = "127.0.0.8";
    static final String TOKEN_THIEF = "127.0.0.9";
    static final int WS_CLIENTS_PER_ADDRESS = 4;
    static final int ROOMS_PER_ADDRESS = 3;
    static final int ALLOCATIONS_PER_ADDRESS = 4;

    final AtomicInteger rebindsRefused = new AtomicInteger();
    final AtomicInteger rebindsServed = new AtomicInteger();
    final AtomicInteger wsAccepted = new AtomicInteger();
    final AtomicInteger wsRefused = new AtomicInteger();
    final AtomicInteger roomsCreated = new AtomicInteger();
    final AtomicInteger roomsRefused = new AtomicInteger();
    final AtomicInteger raceRounds = new AtomicInteger();
    final AtomicInteger raceDelivered = new AtomicInteger();
    final AtomicInteger raceUnknownPeer = new AtomicInteger();
    final AtomicInteger allocationsGranted = new AtomicInteger();
    final AtomicInteger allocationsOverQuota = new AtomicInteger();
    final AtomicInteger forbiddenPeersRefused = new AtomicInteger();
    final AtomicInteger forbiddenPeersAllowed = new AtomicInteger();
    final AtomicInteger stolenTokensRefused = new AtomicInteger();
    final AtomicInteger stolenTokensGranted = new AtomicInteger();

    private final List<AutoCloseable> held = new ArrayList<>();

    synchronized void hold(AutoCloseable c) {
        held.add(c);
    }

    synchronized void closeAll() throws Exception {
        for (AutoCloseable c : held) {
            c.close();
        }
        held.clear();
    }

    // --- Web ---------------------------------------------------------------------------------------------

    /** A rebinding page: its own name in Host, for the credentials, the page and the WebSocket, 30 times each. */
    void rebind(int port) throws IOException {
        for (int i = 0; i < 30; i++) {
            for (String path : List.of("/api/ice-servers", "/", "/ws")) {
                String extra = path.equals("/ws") ? "Origin: http://rebind.evil:" + port + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" : "";
                try (Socket s = TcpLimitsTest.connect(REBINDER, port)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: rebind.evil:" + port + "\r\n" + extra
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] head = s.getInputStream().readNBytes(12);
                    String status = new String(head, StandardCharsets.US_ASCII);
                    (status.equals("HTTP/1.1 421") ? rebindsRefused : rebindsServed).incrementAndGet();
                }
            }
        }
    }

    /** Twice the client cap of WebSockets from one address, each trying to create a room of its own. */
    void hogClientsAndRooms(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(WS_HOG)).build();
        URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
        for (int i = 0; i < 2 * WS_CLIENTS_PER_ADDRESS; i++) {
            SignalingClient c = SignalingClient.connect(http, ws, e -> { }).get(10, TimeUnit.SECONDS);
            hold(c::abort);
            // A refused client is told server-full and closed (1013), perhaps before its join is sent.
            CompletableFuture<String> joined = c.join("hog" + i).handle((j, e) -> e == null ? "joined" : String.valueOf(e));
            Object outcome = CompletableFuture.anyOf(joined, c.closed()).get(10, TimeUnit.SECONDS);
            if (outcome.equals("joined")) {
                wsAccepted.incrementAndGet();
                roomsCreated.incrementAndGet();
            } else if (String.valueOf(outcome).contains("too-many-rooms")) {
                wsAccepted.incrementAndGet();
                roomsRefused.incrementAndGet();
            } else if (c.closed().get(10, TimeUnit.SECONDS).code() == 1013) {
                wsRefused.incrementAndGet();
            } else {
                throw new IllegalStateException("WebSocket " + i + ": " + outcome);
            }
        }
    }

    /** A WebSocket that joins a room and never reads, while a client from the same address fills that room. */
    void slowSignalingReader(int port, java.util.function.BooleanSupplier cut) throws Exception {
        HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(SLOW_WS)).build();
        SignalingClient sender = SignalingClient.connect(http, URI.create("ws://127.0.0.1:" + port + "/ws"), e -> { })
                .get(10, TimeUnit.SECONDS);
        hold(sender::abort);
        sender.join("slow").get(10, TimeUnit.SECONDS);
        Socket s = new Socket();
        hold(s);
        s.setReceiveBufferSize(4096);
        s.bind(new InetSocketAddress(InetAddress.getByName(SLOW_WS), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        for (int state = 0; state < 4; ) { // the handshake's answer, up to its blank line, and then nothing more
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
        byte[] payload = "{\"type\":\"join\",\"room\":\"slow\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length]; // FIN + text, masked with a zero key (RFC 6455 5.2)
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        out.write(frame);
        out.flush();
        String filler = "{\"type\":\"message\",\"data\":\"" + "x".repeat(15_000) + "\"}";
        // 15 KB a message, 2,000 at most (30 MB), far past what the kernel's buffers hold.
        for (int i = 0; i < 2000 && !cut.getAsBoolean(); i++) {
            sender.sendRaw(filler).get(10, TimeUnit.SECONDS);
            if (i % 100 == 99) {
                Thread.sleep(100); // under the rate limit
            }
        }
    }

    /** 30 rounds of: a newcomer joins, and the member sends it an offer the moment it is told of it. */
    void joinRace(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(RACER)).build();
        URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
        for (int i = 0; i < 30; i++) {
            CompletableFuture<SignalingClient> self = new CompletableFuture<>();
            SignalingClient member = SignalingClient.connect(http, ws, e -> {
                if (e instanceof SignalingEvent.PeerJoined p) {
                    self.join().send("offer", p.id(), JsonNodeFactory.instance.objectNode().put("sdp", "race"));
                } else if (e instanceof SignalingEvent.Error err && err.code().equals("unknown-peer")) {
                    raceUnknownPeer.incrementAndGet();
                }
            }).get(10, TimeUnit.SECONDS);
            self.complete(member);
            CompletableFuture<SignalingEvent.Relayed> offer = new CompletableFuture<>();
            SignalingClient newcomer = null;
            try {
                member.join("race" + i).get(10, TimeUnit.SECONDS);
                newcomer = SignalingClient.connect(http, ws, e -> {
                    if (e instanceof SignalingEvent.Relayed r) {
                        offer.complete(r);
                    }
                }).get(10, TimeUnit.SECONDS);
                newcomer.join("race" + i).get(10, TimeUnit.SECONDS);
                raceRounds.incrementAndGet();
                offer.get(10, TimeUnit.SECONDS);
                raceDelivered.incrementAndGet();
            } catch (java.util.concurrent.TimeoutException lost) {
                // counted as not delivered
            } finally {
                // Gone from the server before the next round, or this address would pass its client cap.
                member.close();
                member.closed().get(10, TimeUnit.SECONDS);
                if (newcomer != null) {
                    newcomer.close();
                    newcomer.closed().get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    // --- TURN --------------------------------------------------------------------------------------------

    /** A TURN client over UDP from its own port, with long-term credentials. */
    private final class TurnClient {
        final DatagramSocket socket;
        final String user;
        final String password;
        final int serverPort;
        String nonce;

        TurnClient(String from, int serverPort, String user, String password) throws IOException {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0));
            hold(socket);
            socket.setSoTimeout(5000);
            this.serverPort = serverPort;
            this.user = user;
            this.password = password;
        }

        StunMessage request(int method, StunAttribute... attributes) throws Exception {
            StunMessage response = exchange(method, attributes);
            if (response.messageClass() == StunClass.ERROR_RESPONSE
                    && List.of(401, 438).contains(response.get(StunAttributeType.ERROR_CODE).code())) {
                nonce = response.get(StunAttributeType.NONCE).value();
                response = exchange(method, attributes);
            }
            return response;
        }

        private StunMessage exchange(int method, StunAttribute... attributes) throws Exception {
            StunMessage.Builder b = StunMessage.builder(method, StunClass.REQUEST, TransactionId.random());
            for (StunAttribute a : attributes) {
                b.add(a);
            }
            if (nonce != null) {
                b.add(StunAttribute.username(user)).add(StunAttribute.realm("rtc4j")).add(StunAttribute.nonce(nonce))
                        .integrity(StunKey.longTerm(user, "rtc4j", password));
            }
            byte[] out = b.fingerprint().build().toBytes();
            socket.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), serverPort));
            byte[] in = new byte[2048];
            DatagramPacket p = new DatagramPacket(in, in.length);
            socket.receive(p);
            return StunMessage.parse(in, 0, p.getLength());
        }

        StunMessage allocate(StunAttribute... extra) throws Exception {
            List<StunAttribute> attributes = new ArrayList<>();
            attributes.add(new Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), 17));
            attributes.addAll(List.of(extra));
            return request(StunMethod.ALLOCATE, attributes.toArray(StunAttribute[]::new));
        }
    }

    private static int code(StunMessage r) {
        return r.messageClass() == StunClass.ERROR_RESPONSE ? r.get(StunAttributeType.ERROR_CODE).code() : 0;
    }

    /**
     * REST credentials are free: a fresh user name for each of 12 Allocates (from 12 ports) still holds only
     * the address's quota. One granted allocation reserves the next port with EVEN-PORT; another user's
     * Allocate with that token takes nothing. Forbidden peers (6to4, Teredo, the relay anycast and the TURN
     * server's own port) are refused permissions.
     */
    void turnAbuse(int turnPort, byte[] secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        long expiry = System.currentTimeMillis() / 1000 + 3600;
        List<TurnClient> granted = new ArrayList<>();
        Long token = null;
        for (int i = 0; i < 3 * ALLOCATIONS_PER_ADDRESS; i++) {
            String user = expiry + ":hog" + i;
            TurnClient c = new TurnClient(TURN_HOG, turnPort, user,
                    Base64.getEncoder().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8))));
            // The first reserves the next port; the second is dual-stack, to name IPv6 peers (RFC 8656 7.2).
            StunMessage r = granted.isEmpty() ? c.allocate(new Numeric(StunAttributeType.EVEN_PORT.code(), 1))
                    : granted.size() == 1 ? c.allocate(new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2))
                    : c.allocate();
            if (r.messageClass() == StunClass.SUCCESS_RESPONSE) {
                granted.add(c);
                if (r.has(StunAttributeType.RESERVATION_TOKEN)) {
                    token = r.get(StunAttributeType.RESERVATION_TOKEN).value();
                }
            } else if (List.of(486, 508).contains(code(r))) {
                allocationsOverQuota.incrementAndGet();
            } else {
                throw new IllegalStateException("Allocate answered " + r);
            }
        }
        allocationsGranted.set(granted.size());
        if (token != null) {
            // Another user, from an address whose quota is untouched, presents the token.
            String thief = expiry + ":thief";
            TurnClient c = new TurnClient(TOKEN_THIEF, turnPort, thief,
                    Base64.getEncoder().encodeToString(mac.doFinal(thief.getBytes(StandardCharsets.UTF_8))));
            StunMessage r = c.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), token));
            (r.messageClass() == StunClass.SUCCESS_RESPONSE ? stolenTokensGranted : stolenTokensRefused).incrementAndGet();
        }
        TurnClient owner = granted.get(1);
        for (String ip : List.of("192.88.99.1", "2002:c058:6301::1", "2001:0:4136:e378::1")) {
            StunMessage r = owner.request(StunMethod.CREATE_PERMISSION,
                    new Address(StunAttributeType.XOR_PEER_ADDRESS.code(), TransportAddress.parseIp(ip), 4000));
            (code(r) == 403 ? forbiddenPeersRefused : forbiddenPeersAllowed).incrementAndGet();
        }
        // Permissions are per address (RFC 8656 9); the server's own port is refused where a port is named.
        StunMessage r = owner.request(StunMethod.CHANNEL_BIND,
                new Numeric(StunAttributeType.CHANNEL_NUMBER.code(), 0x4000),
                new Address(StunAttributeType.XOR_PEER_ADDRESS.code(), InetAddress.getLoopbackAddress(), turnPort));
        (code(r) == 403 ? forbiddenPeersRefused : forbiddenPeersAllowed).incrementAndGet();
    }
}
