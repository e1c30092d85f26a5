package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

class StunServerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final StunServer server = new StunServer();
    private final TransportAddress local = TransportAddress.udp(ip("192.0.2.1"), 3478);
    private final TransportAddress client = TransportAddress.udp(ip("198.51.100.7"), 54321);

    @Test
    void answersABindingRequestWithTheSourceAddress() throws ParseException {
        StunMessage request = StunMessage.request(StunMethod.BINDING).build();
        Transmit t = send(client, request.toBytes());

        assertThat(t.source()).isEqualTo(local);
        assertThat(t.destination()).isEqualTo(client);
        StunMessage response = StunMessage.parse(t.bytes());
        assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.method()).isEqualTo(StunMethod.BINDING);
        assertThat(response.transactionId()).isEqualTo(request.transactionId());
        StunAttribute.Address mapped = response.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        assertThat(mapped.ip()).isEqualTo(client.ip());
        assertThat(mapped.port()).isEqualTo(client.port());
        // Nothing more than needed: header and XOR-MAPPED-ADDRESS.
        assertThat(t.bytes()).hasSize(20 + 12);
        assertThat(response.hasFingerprint()).isFalse();
        assertThat(server.bindingResponses()).isEqualTo(1);
        assertThat(server.pollTransmit()).isNull();
        assertThat(server.pollEvent()).isNull();
        assertThat(server.pollTimeout()).isNull();
    }

    @Test
    void answersIpv6AndMirrorsTheFingerprint() throws ParseException {
        TransportAddress v6 = TransportAddress.udp(ip("2001:db8::7"), 1);
        StunMessage request = StunMessage.request(StunMethod.BINDING)
                .add(StunAttribute.software("client"))
                .fingerprint()
                .build();
        StunMessage response = StunMessage.parse(send(v6, request.toBytes()).bytes());
        assertThat(response.get(StunAttributeType.XOR_MAPPED_ADDRESS).ip()).isEqualTo(v6.ip());
        assertThat(response.hasFingerprint()).isTrue();
        assertThat(response.length()).isEqualTo(20 + 24 + 8);
    }

    @Test
    void unknownComprehensionRequiredAttributesGet420() throws ParseException {
        StunMessage request = StunMessage.request(StunMethod.BINDING)
                .add(new StunAttribute.Opaque(0x0003, new byte[4])) // CHANGE-REQUEST (RFC 5780): not ours
                .add(new StunAttribute.Opaque(0x7F00, new byte[0]))
                .add(new StunAttribute.Opaque(0x0003, new byte[4]))
                .add(new StunAttribute.Opaque(0xC000, new byte[2])) // comprehension-optional: ignored
                .build();
        StunMessage response = StunMessage.parse(send(client, request.toBytes()).bytes());
        assertThat(response.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(response.transactionId()).isEqualTo(request.transactionId());
        assertThat(response.get(StunAttributeType.ERROR_CODE).code()).isEqualTo(420);
        assertThat(response.get(StunAttributeType.UNKNOWN_ATTRIBUTES).types()).containsExactly(0x0003, 0x7F00);
        assertThat(response.has(StunAttributeType.XOR_MAPPED_ADDRESS)).isFalse();
        assertThat(server.errorResponses()).isEqualTo(1);
    }

    @Test
    void otherMethodsGet400() throws ParseException {
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE).build();
        StunMessage response = StunMessage.parse(send(client, request.toBytes()).bytes());
        assertThat(response.get(StunAttributeType.ERROR_CODE).code()).isEqualTo(400);
        assertThat(response.method()).isEqualTo(StunMethod.ALLOCATE);
    }

    @Test
    void malformedInputIsDroppedAndCounted() {
        byte[] good = StunMessage.request(StunMethod.BINDING).build().toBytes();
        byte[] badCookie = good.clone();
        badCookie[4] = 0;
        byte[][] inputs = {new byte[0], new byte[] {1, 2, 3}, badCookie, java.util.Arrays.copyOf(good, 19),
            "GET / HTTP/1.1\r\n\r\n".getBytes()};
        for (byte[] input : inputs) {
            server.handleInput(NOW, client, local, ByteBuffer.wrap(input));
        }
        assertThat(server.pollTransmit()).isNull();
        assertThat(server.malformed()).isEqualTo(inputs.length);
    }

    @Test
    void indicationsAndResponsesGetNoAnswer() {
        for (StunClass c : new StunClass[] {StunClass.INDICATION, StunClass.SUCCESS_RESPONSE, StunClass.ERROR_RESPONSE}) {
            byte[] m = StunMessage.builder(StunMethod.BINDING, c, TransactionId.random()).build().toBytes();
            server.handleInput(NOW, client, local, ByteBuffer.wrap(m));
        }
        assertThat(server.pollTransmit()).isNull();
        assertThat(server.ignored()).isEqualTo(3);
    }

    @Test
    void theCallersBufferIsNotKept() throws ParseException {
        byte[] request = StunMessage.request(StunMethod.BINDING).build().toBytes();
        ByteBuffer buffer = ByteBuffer.wrap(request.clone());
        server.handleInput(NOW, client, local, buffer);
        java.util.Arrays.fill(buffer.array(), (byte) 0);
        Transmit t = server.pollTransmit();
        assertThat(StunMessage.parse(t.bytes()).transactionId()).isEqualTo(StunMessage.parse(request).transactionId());
    }

    @Test
    void theQueueIsBounded() {
        byte[] request = StunMessage.request(StunMethod.BINDING).build().toBytes();
        for (int i = 0; i < 5000; i++) {
            server.handleInput(NOW, client, local, ByteBuffer.wrap(request));
        }
        int queued = 0;
        while (server.pollTransmit() != null) {
            queued++;
        }
        assertThat(queued).isEqualTo(1024);
    }

    private Transmit send(TransportAddress from, byte[] bytes) {
        server.handleInput(NOW, from, local, ByteBuffer.wrap(bytes));
        Transmit t = server.pollTransmit();
        assertThat(t).isNotNull();
        return t;
    }

    private static InetAddress ip(String literal) {
        return TransportAddress.parseIp(literal);
    }
}
