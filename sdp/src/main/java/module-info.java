/**
 * SDP (RFC 8866): a model that keeps every line in order, a bounded parser that reports the line of any
 * error, a writer, typed access to what JSEP (RFC 9429) needs for data channels and RTP media, codec and
 * header-extension negotiation, and the builders of the offers and answers rtc4j sends.
 */
module org.rtc4j.sdp {
    requires org.rtc4j.core;

    exports org.rtc4j.sdp;
}
