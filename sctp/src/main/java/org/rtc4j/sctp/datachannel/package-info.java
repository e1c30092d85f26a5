/** WebRTC data channels over an SCTP association: DCEP (RFC 8832) and the semantics of RFC 8831. */
package org.rtc4j.sctp.datachannel;
