/**
 * Test support: the loopback-only namespace guard and a coturn launcher, a simulated network and clock with
 * NATs for sans-IO engines ({@code org.rtc4j.testkit.sim}), the one test pump over it or loopback sockets,
 * UDP and TCP ({@code org.rtc4j.testkit.pump}), and a headless Chromium harness
 * ({@code org.rtc4j.testkit.browser}).
 */
module org.rtc4j.testkit {
    requires transitive org.rtc4j.core;
    requires java.net.http;
    requires jdk.httpserver;

    exports org.rtc4j.testkit;
    exports org.rtc4j.testkit.sim;
    exports org.rtc4j.testkit.pump;
    exports org.rtc4j.testkit.browser;
}
