package org.rtc4j.sctp.datachannel;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

/** The Data Channel Establishment Protocol's two messages (RFC 8832 5), sent with PPID 50. */
public sealed interface DcepMessage {

    int PPID = 50;
    int TYPE_ACK = 0x02;
    int TYPE_OPEN = 0x03;

    /** Channel types (RFC 8832 5.1): the high bit means unordered. */
    int RELIABLE = 0x00;
    int PARTIAL_RELIABLE_REXMIT = 0x01;
    int PARTIAL_RELIABLE_TIMED = 0x02;
    int UNORDERED = 0x80;

    /** DATA_CHANNEL_OPEN (RFC 8832 5.1). */
    record Open(int channelType, int priority, long reliabilityParameter, String label, String protocol)
            implements DcepMessage {

        public boolean ordered() {
            return (channelType & UNORDERED) == 0;
        }

        public byte[] encode() {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[12 + l.length + p.length];
            b[0] = TYPE_OPEN;
            b[1] = (byte) channelType;
            Bytes.putU16(b, 2, priority);
            Bytes.putU32(b, 4, reliabilityParameter);
            Bytes.putU16(b, 8, l.length);
            Bytes.putU16(b, 10, p.length);
            System.arraycopy(l, 0, b, 12, l.length);
            System.arraycopy(p, 0, b, 12 + l.length, p.length);
            return b;
        }
    }

    /** DATA_CHANNEL_ACK (RFC 8832 5.2). */
    record Ack() implements DcepMessage {
        public byte[] encode() {
            return new byte[] {TYPE_ACK};
        }
    }

    /** Parses a DCEP message; anything else, including labels that are not UTF-8, is a ParseException. */
    static DcepMessage parse(byte[] data) throws ParseException {
        ByteReader r = ByteReader.of(data);
        int type = r.u8();
        if (type == TYPE_ACK) {
            return new Ack();
        }
        if (type != TYPE_OPEN) {
            throw new ParseException("unknown DCEP message type " + type);
        }
        int channelType = r.u8();
        switch (channelType & 0x7F) {
            case RELIABLE, PARTIAL_RELIABLE_REXMIT, PARTIAL_RELIABLE_TIMED -> {
            }
            default -> throw new ParseException("unknown channel type " + channelType);
        }
        int priority = r.u16();
        long reliability = r.u32();
        int labelLength = r.u16();
        int protocolLength = r.u16();
        r.require(labelLength + protocolLength, "label and protocol");
        String label = utf8(r, labelLength);
        String protocol = utf8(r, protocolLength);
        return new Open(channelType, priority, reliability, label, protocol);
    }

    private static String utf8(ByteReader r, int n) throws ParseException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(r.slice(n)).toString();
        } catch (CharacterCodingException e) {
            throw new ParseException("label or protocol is not UTF-8");
        }
    }
}
