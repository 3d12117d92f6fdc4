package io.jivykis.internal;

import java.util.Optional;

/**
 * The loop's JFR events, reached only when the {@code jdk.jfr} module is present: the
 * module requires it {@code static}, so a runtime image without it (a jlinked one, or a
 * modular application that does not resolve it) runs the library unchanged, and
 * {@link FlightEvents} and {@link Recorder}, the only classes that name a JFR type, are then
 * never loaded.
 *
 * <p>The event classes are loaded only once JFR itself has started (a recording was made
 * in this JVM): on Java 17 the first load of an event class registers it with JFR, which
 * costs about 200 ms, and a program that never records must not pay that in its first wait.
 * The events are disabled by default; a recording turns them on by name
 * ({@code io.jivykis.LoopWait}, {@code io.jivykis.LoopBlocked}). While they are off, a
 * blocking wait pays two checks of a flag, and nothing is allocated.
 */
final class Flight {
    /**
     * Whether jdk.jfr can be used here: it is in the boot layer (on the class path it is,
     * unless the runtime image lacks it; a modular application has it only if something
     * resolved it) and this module reads it (the unnamed module reads every module).
     */
    static final boolean AVAILABLE = jfrReadable();

    private Flight() {}

    private static boolean jfrReadable() {
        Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
        return jfr.isPresent() && Flight.class.getModule().canRead(jfr.get());
    }

    /** Starts a LoopWait event, or returns null while it is off. Loop thread, before a wait that could block. */
    static Object beginWait() {
        return AVAILABLE && Recorder.started() ? FlightEvents.beginWait() : null;
    }

    /** Commits what {@link #beginWait()} returned (not null). */
    static void endWait(Object event, long timeoutNanos, int ready) {
        FlightEvents.endWait(event, timeoutNanos, ready);
    }

    /** Emits a LoopBlocked event, if on. Watchdog thread. */
    static void blocked(Thread loopThread, String kind, long lastedNanos, long thresholdNanos, StackTraceElement[] stack) {
        if (AVAILABLE && Recorder.started()) {
            FlightEvents.blocked(loopThread, kind, lastedNanos, thresholdNanos, stack);
        }
    }

    /** Whether JFR has started; a class of its own, loaded only when jdk.jfr is {@link #AVAILABLE}. */
    private static final class Recorder {
        /** A read of a static field once JIT-compiled; JFR never stops being initialized once it is. */
        static boolean started() {
            return jdk.jfr.FlightRecorder.isInitialized();
        }
    }
}
