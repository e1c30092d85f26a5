/** Bytes, transport addresses, the clock and the sans-IO contract that every protocol engine follows. */
module org.rtc4j.core {
    exports org.rtc4j.core;
}
