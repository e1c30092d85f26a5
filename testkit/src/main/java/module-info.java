/**
 * Test support: the loopback-only namespace guard, a simulated network and clock with NATs for sans-IO
 * engines ({@code org.rtc4j.testkit.sim}), and a headless Chromium harness ({@code org.rtc4j.testkit.browser}).
 */
module org.rtc4j.testkit {
    requires transitive org.rtc4j.core;
    requires java.net.http;
    requires jdk.httpserver;

    exports org.rtc4j.testkit;
    exports org.rtc4j.testkit.sim;
    exports org.rtc4j.testkit.browser;
}
