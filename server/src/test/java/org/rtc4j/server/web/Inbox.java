package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.rtc4j.signaling.SignalingEvent;

/** The events one test client received, taken in order with a generous wait. */
final class Inbox implements Consumer<SignalingEvent> {
    private final BlockingQueue<SignalingEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void accept(SignalingEvent e) {
        events.add(e);
    }

    <T extends SignalingEvent> T next(Class<T> type) throws InterruptedException {
        SignalingEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("expected a " + type.getSimpleName()).isInstanceOf(type);
        return type.cast(e);
    }

    boolean isEmpty() {
        return events.isEmpty();
    }
}
