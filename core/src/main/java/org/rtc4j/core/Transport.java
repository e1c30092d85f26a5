package org.rtc4j.core;

/** The transport protocol under a {@link TransportAddress}. */
public enum Transport {
    UDP,
    TCP;

    /** The lower-case name used in URLs and SDP ({@code udp}, {@code tcp}). */
    public String token() {
        return this == UDP ? "udp" : "tcp";
    }
}
