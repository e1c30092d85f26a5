/** Test support: the loopback-only namespace, and (later) simulated networks and real-peer harnesses. */
module org.rtc4j.testkit {
    requires transitive org.rtc4j.core;

    exports org.rtc4j.testkit;
}
