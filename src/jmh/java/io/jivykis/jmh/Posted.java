package io.jivykis.jmh;

import io.jivykis.Event;
import io.jivykis.EventRaw;

/**
 * A jivykis object registered in the calling thread's loop: an {@link EventRaw} (kind
 * {@code eventraw}, with the backend of {@code -Djivykis.backend}) or the in-process
 * {@link Event} (kind {@code event}). Each JMH fork runs one kind, so the calls stay
 * monomorphic.
 */
final class Posted {
    private final EventRaw raw;
    private final Event event;

    private Posted(EventRaw raw, Event event) {
        this.raw = raw;
        this.event = event;
    }

    static Posted register(String kind, Runnable handler) {
        switch (kind) {
            case "eventraw":
                EventRaw raw = new EventRaw(handler);
                raw.register();
                return new Posted(raw, null);
            case "event":
                Event event = new Event(handler);
                event.register();
                return new Posted(null, event);
            default:
                throw new IllegalArgumentException("kind must be eventraw or event, not " + kind);
        }
    }

    void post() {
        if (raw != null) {
            raw.post();
        } else {
            event.post();
        }
    }

    void unregister() {
        if (raw != null) {
            raw.unregister();
        } else {
            event.unregister();
        }
    }
}
