/**
 * The SCTP association WebRTC data channels run on (RFC 8261, RFC 9260), sans-IO: see
 * {@link org.rtc4j.sctp.SctpAssociation} and {@link org.rtc4j.sctp.PacketEngine}.
 */
package org.rtc4j.sctp;
