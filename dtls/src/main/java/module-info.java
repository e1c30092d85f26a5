/**
 * DTLS 1.2 (our handshake on the caller's thread, or Bouncy Castle's): certificates and fingerprints, DTLS-SRTP
 * keying, RFC 7983 demultiplexing.
 */
module org.rtc4j.dtls {
    requires org.rtc4j.core;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;

    exports org.rtc4j.dtls;
}
