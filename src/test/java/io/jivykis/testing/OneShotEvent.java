package io.jivykis.testing;

import io.jivykis.EventRaw;

/**
 * An EventRaw whose handler counts its calls and unregisters the object in the first one, so
 * that a loop's run() returns once the event has been handled (when nothing else is registered).
 */
public final class OneShotEvent {
    public final EventRaw event;
    private int calls; // touched by the handler only, on the registering thread

    public OneShotEvent() {
        event = new EventRaw(this::handle);
    }

    private void handle() {
        calls++;
        event.unregister();
    }

    /** How many times the handler ran (read it on the registering thread). */
    public int calls() {
        return calls;
    }
}
