/** The {@code ./rtc4j} command line: servers, tools and the demo. */
module org.rtc4j.server {
    requires org.rtc4j.core;
    requires org.rtc4j.webrtc;
    requires org.rtc4j.turn;
    requires org.rtc4j.codec.vp8;
    requires org.rtc4j.signaling;
    // media's optional codecs, which the media commands use: Opus (ours) and H.264 (JCodec, automatic module).
    requires org.rtc4j.codec.opus;
    requires jcodec;
    requires org.rtc4j.transfer;
    requires org.jline;
    requires info.picocli;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires jdk.management;
    requires jdk.unsupported; // sun.misc.Signal: SIGINT and SIGTERM stop the demo in order (StopSignals)
    requires java.net.http;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires lettuce.core;

    provides ch.qos.logback.classic.spi.Configurator with org.rtc4j.server.LogConfigurator;

    exports org.rtc4j.server.signaling;
    exports org.rtc4j.server.web;

    opens org.rtc4j.server to info.picocli;
    // Jetty calls the WebSocket endpoint through method handles.
    opens org.rtc4j.server.web to org.eclipse.jetty.websocket.common;
}
