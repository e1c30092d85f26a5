/** The {@code ./rtc4j} command line: servers, tools and the demo. */
module org.rtc4j.server {
    requires org.rtc4j.core;
    requires org.rtc4j.webrtc;
    requires com.fasterxml.jackson.databind;
    requires org.rtc4j.turn;
    requires info.picocli;
    requires org.slf4j;

    opens org.rtc4j.server to info.picocli;
}
