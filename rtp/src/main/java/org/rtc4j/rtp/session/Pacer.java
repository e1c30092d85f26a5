package org.rtc4j.rtp.session;

/**
 * Where a congestion controller plugs in: the session asks before each media packet leaves and tells when it
 * did. The default sends everything at once. Times are nanoseconds on the session's clock.
 */
public interface Pacer {

    /** Sends at once. */
    Pacer NONE = new Pacer() {
        @Override
        public long sendTime(long nowNanos, int bytes) {
            return nowNanos;
        }

        @Override
        public void sent(long nowNanos, int bytes) {
        }
    };

    /** The earliest time a packet of {@code bytes} may go ({@code nowNanos} or earlier: at once). */
    long sendTime(long nowNanos, int bytes);

    /** A packet of {@code bytes} left at {@code nowNanos}. */
    void sent(long nowNanos, int bytes);
}
