/**
 * The W3C WebRTC API for Java ({@code RTCPeerConnection}, {@code RTCDataChannel}, ...) and the driver that
 * stacks ICE, DTLS and SCTP under it, on shared NIO threads with one serial loop per connection.
 */
module org.rtc4j.webrtc {
    requires transitive org.rtc4j.core;
    requires org.rtc4j.ice;
    requires org.rtc4j.dtls;
    requires org.rtc4j.sctp;
    requires transitive org.rtc4j.rtp;
    requires transitive org.rtc4j.media;
    requires org.rtc4j.sdp;
    requires org.slf4j;

    exports org.rtc4j;
}
