package io.jivykis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jivykis.internal.SignalDisposition;
import io.jivykis.internal.SignalNative;
import java.util.Map;
import java.util.TreeMap;

/** What the signal tests share: sending real signals and counting descriptors. */
final class SignalTesting {
    static final int PID = (int) ProcessHandle.current().pid();

    private SignalTesting() {}

    /** kill(2) to this process: delivered to whichever thread does not block it. */
    static void killSelf(int signum) {
        assertEquals(0, SignalNative.kill(PID, signum), "kill(" + PID + ", " + Signals.name(signum) + ")");
    }

    /** raise(3): handled on the calling thread before it returns. */
    static void raise(int signum) {
        assertEquals(0, SignalNative.raise(signum), "raise(" + Signals.name(signum) + ")");
    }

    /** The open descriptors of the kinds the library creates (eventfd, epoll, pipe). */
    static Map<Integer, String> openDescriptors() {
        return Fds.libraryKinds();
    }

    /**
     * Fails unless every descriptor of those kinds open now was already open at
     * {@code before}. Descriptors closed meanwhile are not a leak: the JVM's cleaner may close
     * another test's process pipes at any moment.
     */
    static void assertNoneLeaked(Map<Integer, String> before) {
        Map<Integer, String> opened = new TreeMap<>(openDescriptors());
        opened.entrySet().removeAll(before.entrySet());
        assertTrue(opened.isEmpty(), "descriptors left open: " + opened);
    }

    /** The current disposition of a signal, as a word for messages. */
    static String disposition(int signum) {
        // Not a switch: the codes come from the shim at run time, so they are not compile-time constants.
        int d = SignalNative.disposition(signum);
        return d == SignalDisposition.DEFAULT ? "default"
                : d == SignalDisposition.IGNORE ? "ignore"
                : d == SignalDisposition.JIVYKIS ? "jivykis"
                : d == SignalDisposition.OTHER ? "other"
                : "error";
    }

    /** Runs {@code body} with {@code jivykis.backend} set to {@code backend}, then restores it. */
    static void withBackend(Backend backend, Runnable body) {
        String before = System.getProperty("jivykis.backend");
        System.setProperty("jivykis.backend", backend.name().toLowerCase(java.util.Locale.ROOT));
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty("jivykis.backend");
            } else {
                System.setProperty("jivykis.backend", before);
            }
        }
    }
}
