package org.rtc4j.ice.stun;

import java.util.List;
import org.rtc4j.core.ParseException;

/** What must hold for any input, shared by the Jazzer fuzz test and the seeded mutation test. */
final class StunProperties {

    static final StunKey KEY = StunKey.shortTerm(Rfc5769VectorsTest.SHORT_TERM_PASSWORD);

    private StunProperties() {
    }

    /** Parses {@code data}; when it parses, the message re-encodes to one that parses to the same values. */
    static void check(byte[] data) {
        StunMessage m;
        try {
            m = StunMessage.parse(data);
        } catch (ParseException expected) {
            return;
        }
        if (m.length() != data.length || m.attributes().size() > StunMessage.MAX_ATTRIBUTES) {
            throw new AssertionError("parsed message does not match its input");
        }
        m.verifyIntegrity(KEY);
        m.unknownComprehensionRequired();
        m.toString();

        StunMessage.Builder builder = StunMessage.builder(m.method(), m.messageClass(), m.transactionId());
        for (StunAttribute a : m.attributes()) {
            int type = a.type();
            if (type == StunAttributeType.MESSAGE_INTEGRITY.code()
                    || type == StunAttributeType.MESSAGE_INTEGRITY_SHA256.code()
                    || type == StunAttributeType.FINGERPRINT.code()) {
                continue;
            }
            if (a instanceof StunAttribute.Text t && t.value().indexOf('\uFFFD') >= 0
                    || a instanceof StunAttribute.ErrorCode e && e.reason().indexOf('\uFFFD') >= 0
                    || a instanceof StunAttribute.AddressErrorCode ae && ae.reason().indexOf('\uFFFD') >= 0) {
                return; // text that was not UTF-8 comes back longer when re-encoded
            }
            builder.add(a);
        }
        if (m.has(StunAttributeType.MESSAGE_INTEGRITY)) {
            builder.integrity(KEY);
        }
        if (m.hasFingerprint()) {
            builder.fingerprint();
        }
        StunMessage rebuilt = builder.build();
        StunMessage again;
        try {
            again = StunMessage.parse(rebuilt.toBytes());
        } catch (ParseException e) {
            throw new AssertionError("a re-encoded message does not parse: " + e.getMessage() + ": " + m);
        }
        if (!withoutChecks(again.attributes()).equals(withoutChecks(m.attributes()))
                || again.method() != m.method() || again.messageClass() != m.messageClass()) {
            throw new AssertionError("re-encoding changed the message: " + m + " became " + again);
        }
        if (m.has(StunAttributeType.MESSAGE_INTEGRITY) && !again.verifyIntegrity(KEY)) {
            throw new AssertionError("re-signed message does not verify");
        }
    }

    private static List<StunAttribute> withoutChecks(List<StunAttribute> attributes) {
        return attributes.stream().filter(a -> a.type() != StunAttributeType.MESSAGE_INTEGRITY.code()
                && a.type() != StunAttributeType.MESSAGE_INTEGRITY_SHA256.code()
                && a.type() != StunAttributeType.FINGERPRINT.code()).toList();
    }
}
