package org.rtc4j.ice.mdns;

import java.net.InetAddress;
import java.time.Duration;

/** An address record (A or AAAA) from an mDNS response: the owner name in lower case, its address and TTL. */
public record MdnsRecord(String name, InetAddress address, Duration ttl) {
}
