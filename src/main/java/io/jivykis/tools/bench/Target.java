package io.jivykis.tools.bench;

import io.jivykis.Event;
import io.jivykis.EventRaw;

/**
 * A registered object a case posts to, whatever its kind (an EventRaw on either backend, or
 * the in-process Event), so the in-process cases are written once for every impl.
 */
abstract class Target {
    /** Posts the object (any thread). */
    abstract void post();

    /** Unregisters it (its loop's thread). */
    abstract void unregister();

    /** An EventRaw target. */
    static final class Raw extends Target {
        final EventRaw event;

        Raw(EventRaw event) {
            this.event = event;
        }

        @Override
        void post() {
            event.post();
        }

        @Override
        void unregister() {
            event.unregister();
        }
    }

    /** An in-process Event target. */
    static final class InProcess extends Target {
        final Event event;

        InProcess(Event event) {
            this.event = event;
        }

        @Override
        void post() {
            event.post();
        }

        @Override
        void unregister() {
            event.unregister();
        }
    }
}
