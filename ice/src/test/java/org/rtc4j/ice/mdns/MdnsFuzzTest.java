package org.rtc4j.ice.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * Whatever a host on the link sends to the mDNS socket: the parser returns at most 64 records or a
 * {@link ParseException}, and the resolver never throws. In the suite Jazzer runs the seeds in
 * {@code src/test/resources/org/rtc4j/ice/mdns/MdnsFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MdnsFuzzTest {

    private static final TransportAddress FROM = TransportAddress.parse(Transport.UDP, "127.0.0.1:5353");
    private static final TransportAddress TO = TransportAddress.parse(Transport.UDP, "127.0.0.1:40000");

    @FuzzTest(maxDuration = "10m")
    void responses(byte[] data) {
        try {
            List<MdnsRecord> records = MdnsMessage.addresses(ByteBuffer.wrap(data));
            assertThat(records.size()).isLessThanOrEqualTo(MdnsMessage.MAX_RECORDS);
            for (MdnsRecord r : records) {
                assertThat(r.name().length()).isLessThanOrEqualTo(MdnsMessage.MAX_NAME);
            }
        } catch (ParseException expected) {
            // dropped
        }
        MdnsResolver resolver = new MdnsResolver(List.of(MdnsResolver.IPV4_GROUP), Duration.ofSeconds(2),
                new Random(1));
        resolver.resolve(Instant.EPOCH, "ab.local");
        resolver.handleInput(Instant.EPOCH, FROM, TO, ByteBuffer.wrap(data));
        resolver.handleTimeout(Instant.EPOCH.plusSeconds(3));
        int results = 0;
        while (resolver.pollEvent() != null) {
            results++;
        }
        assertThat(results).isEqualTo(1); // one answer per name: an address or, after the timeout, none
    }
}
