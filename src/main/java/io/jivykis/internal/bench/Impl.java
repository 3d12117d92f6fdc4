package io.jivykis.internal.bench;

import io.jivykis.Backend;
import io.jivykis.EventRaw;
import io.jivykis.internal.EventDescriptor;

/**
 * The jivykis implementations a case can run on. The EventRaw backend is chosen by the
 * system property {@code jivykis.backend}, which the library reads at each register, so the
 * bench sets it around its own registrations and restores it afterwards.
 */
enum Impl {
    JIVYKIS_EVENTFD("jivykis-eventfd", Backend.EVENTFD),
    JIVYKIS_PIPE("jivykis-pipe", Backend.PIPE);

    private final String label;
    private final Backend backend;

    Impl(String label, Backend backend) {
        this.label = label;
        this.backend = backend;
    }

    /** The name printed as {@code impl=}. */
    String label() {
        return label;
    }

    /** Registers {@code event} in the calling thread's loop with this impl's backend. */
    void register(EventRaw event) {
        String previous = System.getProperty(EventDescriptor.BACKEND_PROPERTY);
        System.setProperty(EventDescriptor.BACKEND_PROPERTY, backend.name().toLowerCase(java.util.Locale.ROOT));
        try {
            event.register();
        } finally {
            if (previous == null) {
                System.clearProperty(EventDescriptor.BACKEND_PROPERTY);
            } else {
                System.setProperty(EventDescriptor.BACKEND_PROPERTY, previous);
            }
        }
        if (event.backend() != backend) {
            throw new IllegalStateException("asked for a " + backend + " registration but the library made a "
                    + event.backend() + " one");
        }
    }
}
