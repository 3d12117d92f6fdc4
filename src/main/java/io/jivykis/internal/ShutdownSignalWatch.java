package io.jivykis.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives SIGTERM, SIGINT and SIGHUP back to the JVM soon after the thread that registered a
 * SignalHandler for one of them ends without closing its loop. Without it, only the loop's
 * Cleaner would close that loop, after a garbage collection that may never come, and until
 * then {@code kill PID} would not stop the process.
 *
 * <p>A daemon thread exists only while some loop has a handler for one of these signals
 * registered. A few times a second it looks at the owner thread of each such loop; a loop
 * whose owner has ended is closed ({@link Loop#closeAbandoned()}), which unregisters its
 * handlers and so restores the JVM's disposition once no other handler remains. The thread
 * holds the loops strongly only while they have such a handler: a loop whose owner closed
 * it, or unregistered those handlers, is forgotten at once.
 */
public final class ShutdownSignalWatch {
    /** How often the owners are looked at: well within the second the contract promises. */
    private static final long PERIOD_MILLIS = 200;
    private static final Object LOCK = new Object();
    /** Loops with shutdown-signal handlers, and how many each has; guarded by LOCK. */
    private static final Map<Loop, Integer> WATCHED = new HashMap<>();
    /** Whether the watcher thread runs; guarded by LOCK. */
    private static boolean running;

    private ShutdownSignalWatch() {}

    /** Whether {@code signum} is one the JVM handles by shutting down (SIGTERM, SIGINT, SIGHUP). */
    public static boolean isShutdownSignal(int signum) {
        return signum == Linux.named("SIGTERM") || signum == Linux.named("SIGINT") || signum == Linux.named("SIGHUP");
    }

    /** Records one more shutdown-signal handler registered in {@code loop}; starts the watcher if needed. */
    public static void add(Loop loop) {
        synchronized (LOCK) {
            WATCHED.merge(loop, 1, Integer::sum);
            if (!running) {
                running = true;
                Thread watcher = new Thread(ShutdownSignalWatch::watch, "jivykis-shutdown-signal-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
    }

    /** Records that one such handler of {@code loop} left; the watcher ends when none remain. */
    public static void remove(Loop loop) {
        synchronized (LOCK) {
            WATCHED.computeIfPresent(loop, (l, n) -> n == 1 ? null : n - 1);
        }
    }

    private static void watch() {
        for (;;) {
            List<Loop> abandoned = new ArrayList<>();
            synchronized (LOCK) {
                if (WATCHED.isEmpty()) {
                    running = false;
                    return;
                }
                for (Loop loop : WATCHED.keySet()) {
                    if (!loop.owner().isAlive()) {
                        abandoned.add(loop);
                    }
                }
            }
            // Outside LOCK: closing unregisters the handlers, which calls remove().
            for (Loop loop : abandoned) {
                close(loop);
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // A daemon nobody interrupts; if someone does, keep the promise and go on.
            }
        }
    }

    private static void close(Loop loop) {
        try {
            int registered = loop.closeAbandoned();
            if (registered >= 0) {
                System.getLogger("io.jivykis").log(System.Logger.Level.WARNING,
                        "thread \"" + loop.owner().getName() + "\" ended without closing its EventLoop while a"
                        + " SignalHandler for SIGTERM, SIGINT or SIGHUP was registered in it; the loop was closed ("
                        + registered + " objects were still registered) so that the JVM handles those signals"
                        + " again. Close loops with try-with-resources.");
            }
        } catch (RuntimeException e) {
            System.getLogger("io.jivykis").log(System.Logger.Level.WARNING,
                    "closing the EventLoop of ended thread \"" + loop.owner().getName() + "\" failed", e);
        } finally {
            // Whatever happened, the loop is not looked at again (its handlers may not have left).
            synchronized (LOCK) {
                WATCHED.remove(loop);
            }
        }
    }
}
