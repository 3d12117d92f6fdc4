package io.jivykis;


import io.jivykis.internal.SignalDisposition;
import io.jivykis.internal.SignalNative;

/** What the signal tests share: sending real signals, reading dispositions, choosing the backend. */
public final class SignalTesting {
    static final int PID = (int) ProcessHandle.current().pid();

    private SignalTesting() {}

    /** kill(2) to this process: delivered to whichever thread does not block it (throws if kill fails). */
    static void killSelf(int signum) {
        Signals.sendToThisProcess(signum);
    }

    /** raise(3): handled on the calling thread before it returns (throws if raise fails). */
    static void raise(int signum) {
        Signals.raise(signum);
    }

    /** The current disposition of a signal, as a word for messages. */
    public static String disposition(int signum) {
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
