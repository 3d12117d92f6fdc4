package io.jivykis.tools.bench;

import io.jivykis.Backend;
import io.jivykis.Event;
import io.jivykis.EventRaw;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The jivykis implementations a case can run on: an EventRaw on either backend, or the
 * in-process Event. The EventRaw backend is chosen by the
 * system property {@code jivykis.backend}, which the library reads at each register, so the
 * bench sets it around its own registrations and restores it afterwards.
 */
enum Impl {
    JIVYKIS_EVENTFD("jivykis-eventfd", Backend.EVENTFD),
    JIVYKIS_PIPE("jivykis-pipe", Backend.PIPE),
    /** The in-process Event: no descriptor of its own, so only the in-process cases apply. */
    JIVYKIS_EVENT("jivykis-event", null);

    /** The library's switch between backends, documented on {@link Backend}. */
    static final String BACKEND_PROPERTY = "jivykis.backend";

    private final String label;
    private final Backend backend;

    Impl(String label, Backend backend) {
        this.label = label;
        this.backend = backend;
    }

    /** Whether each object has a descriptor of its own (an EventRaw), which some cases need. */
    boolean hasDescriptor() {
        return backend != null;
    }

    /** The name printed as {@code impl=}. */
    String label() {
        return label;
    }

    /**
     * Creates an object of this impl with {@code handler} and registers it in the calling
     * thread's loop.
     */
    Target open(Runnable handler) {
        if (backend == null) {
            Event event = new Event(handler);
            event.register();
            return new Target.InProcess(event);
        }
        EventRaw event = new EventRaw(handler);
        register(event);
        return new Target.Raw(event);
    }

    /** Registers {@code event} in the calling thread's loop with this impl's backend. */
    void register(EventRaw event) {
        if (backend == null) {
            throw new IllegalStateException(label + " has no descriptor backend: it registers Events, not EventRaws");
        }
        withBackend(() -> {
            event.register();
            return null;
        });
        if (event.backend() != backend) {
            throw new IllegalStateException("asked for a " + backend + " registration but the library made a "
                    + event.backend() + " one");
        }
    }

    /** Runs {@code action} with {@code jivykis.backend} naming this impl's backend, then restores it. */
    <T> T withBackend(Supplier<T> action) {
        if (backend == null) {
            return action.get();
        }
        String previous = System.getProperty(BACKEND_PROPERTY);
        System.setProperty(BACKEND_PROPERTY, backend.name().toLowerCase(Locale.ROOT));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                System.clearProperty(BACKEND_PROPERTY);
            } else {
                System.setProperty(BACKEND_PROPERTY, previous);
            }
        }
    }
}
