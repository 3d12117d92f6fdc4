package io.jivykis.internal;

import io.jivykis.Backend;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process-wide registry of signal registrations, and the only writer of the native
 * handler's table (native/src/signal_table.c).
 *
 * <p>For each signal it keeps the registrations in registration order. The native handler
 * writes the published descriptors; published are all registrations up to and including
 * the first exclusive one, so "invocation stops at the first exclusive one" is decided
 * here, in Java, and the handler in C only writes what it finds.
 *
 * <p>The first registration of a signal installs the native handler (remembering the
 * previous disposition: the JVM's, SIG_DFL, SIG_IGN or a library's); the last one to leave
 * puts the previous disposition back, so a SIGTERM after that runs the JVM's shutdown
 * hooks again.
 *
 * <p>Register and unregister run on loop threads, never in a signal handler, so one Java
 * monitor serialises them; the handler itself never waits for it.
 */
public final class SignalTable {
    private static final Object LOCK = new Object();
    private static final int SLOTS = SignalNative.slotCount();
    /** Per signal number; guarded by LOCK. */
    private static final Map<Integer, Row> ROWS = new HashMap<>();

    private SignalTable() {}

    /** One registration of a signal: the descriptor the handler writes while it is published. */
    public static final class Entry {
        final int signum;
        final boolean exclusive;
        final int slot;
        final EventDescriptor descriptor;
        final int fd;
        final boolean pipe;
        /** Whether the native slot holds this descriptor now; guarded by LOCK. */
        boolean published;

        private Entry(int signum, boolean exclusive, int slot, EventDescriptor descriptor) {
            this.signum = signum;
            this.exclusive = exclusive;
            this.slot = slot;
            this.descriptor = descriptor;
            this.fd = descriptor.writeFd();
            this.pipe = descriptor.backend() == Backend.PIPE;
        }
    }

    /** The registrations of one signal, in registration order, and their native slots. */
    private static final class Row {
        final List<Entry> order = new ArrayList<>();
        final BitSet slots = new BitSet();
    }

    /**
     * Adds a registration at the end of the signal's order and publishes its descriptor
     * unless an earlier registration is exclusive. Installs the native handler on the first.
     *
     * @throws IllegalStateException when the signal already has the maximum of registrations
     * @throws java.io.UncheckedIOException when sigaction(2) fails
     */
    public static Entry add(int signum, boolean exclusive, EventDescriptor descriptor) {
        synchronized (LOCK) {
            Row row = ROWS.get(signum);
            int slot = row == null ? 0 : row.slots.nextClearBit(0);
            if (slot >= SLOTS) {
                throw new IllegalStateException("signal " + SignalNames.name(signum) + " already has " + SLOTS
                        + " registered SignalHandlers, the most one signal can have: unregister some, or"
                        + " register one handler per loop that calls the others");
            }
            if (row == null) {
                Errors.check("sigaction(" + SignalNames.name(signum) + ")", SignalNative.install(signum));
                row = new Row();
                ROWS.put(signum, row);
            }
            Entry entry = new Entry(signum, exclusive, slot, descriptor);
            row.slots.set(slot);
            row.order.add(entry);
            try {
                republish(row);
            } catch (RuntimeException e) {
                remove(entry);
                throw e;
            }
            return entry;
        }
    }

    /**
     * Withdraws a registration. When this returns, no signal handler will write its
     * descriptor any more, nor is one still writing it: the caller may close it. The last
     * registration of a signal restores the disposition found at install.
     *
     * <p>An exclusive registration that leaves with a delivery still pending (its descriptor
     * written, its handler not yet run) hands that delivery to the registrations it was
     * shadowing, as ivykis does: a signal that arrived reaches someone who still listens.
     * Called on the registration's loop thread, or on the thread closing the loop of an
     * ended one: nobody else reads the descriptor.
     *
     * @throws java.io.UncheckedIOException when restoring the disposition fails (the
     *     registration is withdrawn all the same)
     */
    public static void remove(Entry entry) {
        synchronized (LOCK) {
            Row row = ROWS.get(entry.signum);
            if (row == null || !row.order.remove(entry)) {
                return;
            }
            // Publish whoever this entry was shadowing before clearing its slot: a signal
            // that arrives in between is then delivered twice rather than to nobody.
            List<Entry> uncovered = republish(row);
            if (entry.published) {
                SignalNative.clear(entry.signum, entry.slot);
                entry.published = false;
            }
            // The grace period: a handler that read the slot before the clear has finished.
            SignalNative.quiesce();
            row.slots.clear(entry.slot);
            if (row.order.isEmpty()) {
                ROWS.remove(entry.signum);
                Errors.check("sigaction(" + SignalNames.name(entry.signum) + ", previous disposition)",
                        SignalNative.restore(entry.signum));
            }
            // Whatever reached this entry's descriptor up to now is in it: hand it on (last,
            // so that a failure here leaves the table consistent). The uncovered entries stay
            // open while LOCK is held: their own remove needs it.
            if (!uncovered.isEmpty() && entry.descriptor.drain()) {
                for (Entry behind : uncovered) {
                    Errors.check("write(handing a pending " + SignalNames.name(entry.signum)
                            + " to the SignalHandler behind an exclusive one)", behind.descriptor.signal());
                }
            }
        }
    }

    /**
     * Makes the native slots hold exactly the registrations up to the first exclusive one;
     * returns those it newly published.
     */
    private static List<Entry> republish(Row row) {
        List<Entry> uncovered = new ArrayList<>(0);
        boolean open = true;
        for (Entry entry : row.order) {
            if (open && !entry.published) {
                Errors.check("publish", SignalNative.publish(entry.signum, entry.slot, entry.fd, entry.pipe));
                entry.published = true;
                uncovered.add(entry);
            } else if (!open && entry.published) {
                SignalNative.clear(entry.signum, entry.slot);
                entry.published = false;
            }
            if (entry.exclusive) {
                open = false;
            }
        }
        return uncovered;
    }
}
