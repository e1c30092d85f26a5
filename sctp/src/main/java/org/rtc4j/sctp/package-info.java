/**
 * The SCTP association WebRTC data channels run on (RFC 8261, RFC 9260), sans-IO: see
 * {@link org.rtc4j.sctp.SctpAssociation}, a {@link org.rtc4j.core.Engine} with an allocation-free
 * packet path beside it.
 */
package org.rtc4j.sctp;
