/**
 * Multicast DNS (RFC 6762) one-shot queries for the {@code .local} names browsers put in ICE candidates
 * instead of their host addresses: a sans-IO codec ({@link org.rtc4j.ice.mdns.MdnsMessage}) and resolver
 * ({@link org.rtc4j.ice.mdns.MdnsResolver}) that a socket driver runs (the peer connection's, in module webrtc).
 */
package org.rtc4j.ice.mdns;
