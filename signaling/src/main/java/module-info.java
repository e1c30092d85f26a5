/** Java client of the rtc4j signaling server: rooms, peers and relayed messages over one WebSocket. */
module org.rtc4j.signaling {
    requires transitive com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;

    exports org.rtc4j.signaling;
    exports org.rtc4j.signaling.internal to org.rtc4j.server;
}
