package io.jivykis.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The blocked-loop warning: one daemon thread for the whole JVM samples the step mark of
 * every loop that is inside {@code run()} with a threshold on (see {@link LoopCounters}), and
 * when one step (one handler, or the loop's own code between two) has held a loop's thread
 * longer than that loop's threshold, logs one warning to the {@code io.jivykis}
 * {@link System.Logger}, with the loop thread's stack at that moment, and emits a JFR event.
 *
 * <p>The loop pays two stores per dispatch and takes no clock reading for it: a step is
 * timed by the samples that see the same step number. It began before the first of them, so
 * the time between the first and the last is a lower bound of its length, and the warning
 * comes at most a sampling period (a quarter of the smallest threshold) after the threshold
 * has passed. A step is warned about once, however long it goes on.
 *
 * <p>The thread is started by the first loop that enters {@code run()} with a threshold, and
 * ends at the first sample that finds no loop to watch; a loop waiting in epoll is idle and
 * is not reported. Loops register and leave under one lock, once per {@code run()}, with the
 * one {@link Watch} each loop keeps for its life: a program that calls {@code run()} once per
 * request allocates nothing for it, and wakes the thread only to shorten its period.
 */
final class Watchdog {
    /** The system property giving every new loop's threshold in milliseconds; 0 turns the warning off. */
    static final String THRESHOLD_PROPERTY = "jivykis.blockedThresholdMs";
    /**
     * The default threshold. A handler of an event loop should take microseconds; one that
     * holds the thread for a second delays every timer, post and descriptor of its loop by as
     * much, which is a bug in any program. Shorter holds happen without a bug (a long garbage
     * collection pause, the first call of a large class, a loaded machine), and a warning
     * for them would teach users to turn it off.
     */
    static final long DEFAULT_THRESHOLD_MS = 1000;
    /** How many samples per threshold: the warning is at most a quarter of it late. */
    private static final int SAMPLES_PER_THRESHOLD = 4;
    /** The shortest sampling period (a threshold of a millisecond or less samples this often). */
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String THREAD_NAME = "jivykis-watchdog";

    private static final Object LOCK = new Object();
    /** The loops to watch and their sampling state. Guarded by LOCK. */
    private static final Map<Loop, Watch> WATCHED = new IdentityHashMap<>();
    /** The watchdog thread, null while none runs. Guarded by LOCK. */
    private static Thread thread;
    /** The period the thread waits for now, or Long.MAX_VALUE while it samples. Guarded by LOCK. */
    private static long waitingPeriod = Long.MAX_VALUE;

    private Watchdog() {}

    /**
     * The threshold of a new loop, from {@value #THRESHOLD_PROPERTY}, in nanoseconds.
     *
     * @throws IllegalArgumentException if the property is not a whole number of milliseconds, 0 or more
     */
    static long defaultThresholdNanos() {
        String value = System.getProperty(THRESHOLD_PROPERTY);
        if (value == null) {
            return TimeUnit.MILLISECONDS.toNanos(DEFAULT_THRESHOLD_MS);
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0) {
            throw new IllegalArgumentException("system property " + THRESHOLD_PROPERTY + "=" + value
                    + " is not a threshold: give whole milliseconds (default " + DEFAULT_THRESHOLD_MS
                    + "), or 0 to turn the blocked-loop warning off");
        }
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** The watch of {@code loop}, kept by the loop for its life and handed to {@link #watch} and {@link #unwatch}. */
    static Watch watchOf(Loop loop) {
        return new Watch(loop);
    }

    /**
     * Watches {@code watch}'s loop with {@code thresholdNanos} (or changes its threshold),
     * starting the thread if none runs. Allocates nothing once the thread runs. Loop thread.
     */
    static void watch(Watch watch, long thresholdNanos) {
        synchronized (LOCK) {
            watch.thresholdNanos = thresholdNanos;
            WATCHED.put(watch.loop, watch);
            if (thread == null) {
                thread = start();
            } else if (periodOf(thresholdNanos) < waitingPeriod) {
                LOCK.notifyAll(); // the thread waits longer than this threshold allows
            }
        }
    }

    /** Stops watching {@code watch}'s loop; the thread ends at its next sample if nothing is left. Loop thread. */
    static void unwatch(Watch watch) {
        synchronized (LOCK) {
            WATCHED.remove(watch.loop);
        }
    }

    private static long periodOf(long thresholdNanos) {
        return Math.max(MIN_PERIOD_NANOS, thresholdNanos / SAMPLES_PER_THRESHOLD);
    }

    /** Whether the watchdog thread runs now (for tests of its lifetime). */
    static boolean isRunning() {
        synchronized (LOCK) {
            return thread != null;
        }
    }

    private static Thread start() {
        // No inherited thread locals, no context class loader: the thread outlives whatever
        // started it and must not keep an application's class loader reachable.
        Thread started = new Thread(null, Watchdog::work, THREAD_NAME, 0, false);
        started.setDaemon(true);
        started.setContextClassLoader(null);
        started.start();
        return started;
    }

    private static void work() {
        List<Watch> batch = new ArrayList<>();
        while (true) {
            synchronized (LOCK) {
                if (WATCHED.isEmpty()) {
                    thread = null;
                    return;
                }
                batch.clear();
                batch.addAll(WATCHED.values());
            }
            // Outside the lock: logging may be slow, and loops must not wait for it in run().
            for (Watch watch : batch) {
                try {
                    watch.sample();
                } catch (RuntimeException | LinkageError e) {
                    // A failing logger (the only code here that is not ours) must not end the
                    // watch of every loop; there is nowhere left to report it.
                }
            }
            synchronized (LOCK) {
                // The period is taken under the lock it waits on, so a loop that came while
                // the thread sampled (which sends no notify: waitingPeriod is not set then)
                // is waited for by its own threshold.
                long period = Long.MAX_VALUE;
                for (Watch watch : WATCHED.values()) {
                    period = Math.min(period, periodOf(watch.thresholdNanos));
                }
                if (period == Long.MAX_VALUE) {
                    continue; // nothing left to watch: the check above ends the thread
                }
                waitingPeriod = period;
                try {
                    TimeUnit.NANOSECONDS.timedWait(LOCK, period);
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread on purpose; carry on sampling.
                } finally {
                    waitingPeriod = Long.MAX_VALUE;
                }
            }
        }
    }

    /**
     * One loop's sampling state: the watchdog thread's alone, but for the threshold. It
     * outlives each run() of its loop; a new run's steps have new numbers, so what it saw
     * of an earlier run counts for nothing.
     */
    static final class Watch {
        final Loop loop;
        /** Set by the loop thread under LOCK, read by the watchdog at each sample (volatile). */
        volatile long thresholdNanos;
        private long lastStep = -1;
        /** When a sample first saw {@link #lastStep}: the step began before this. */
        private long since;
        private boolean warned;

        private Watch(Loop loop) {
            this.loop = loop;
        }

        void sample() {
            Object object = loop.stepObject();
            long step = loop.stepNumber();
            long now = System.nanoTime();
            if (object == null || step != lastStep) {
                lastStep = step;
                since = now;
                warned = false;
                return;
            }
            long lasted = now - since;
            loop.observeStep(lasted);
            long threshold = thresholdNanos;
            if (!warned && lasted >= threshold) {
                warned = true;
                warn(object, lasted, threshold);
            }
        }

        private void warn(Object object, long lastedNanos, long thresholdNanos) {
            Thread owner = loop.owner();
            StackTraceElement[] stack = owner.getStackTrace();
            // The loop may have moved on while the stack was taken: then it was not blocked
            // any more, and a stack of another step would mislead.
            if (loop.stepNumber() != lastStep) {
                return;
            }
            loop.countBlockedWarning();
            String kind = kindOf(object);
            long lastedMs = TimeUnit.NANOSECONDS.toMillis(lastedNanos);
            long thresholdMs = TimeUnit.NANOSECONDS.toMillis(thresholdNanos);
            String message = "the event loop of thread \"" + owner.getName() + "\" has been held for at least "
                    + lastedMs + " ms by " + describe(kind) + ", past its blocked threshold of " + thresholdMs
                    + " ms: nothing else registered in that loop runs meanwhile. The loop thread's stack follows."
                    + " (Set the threshold with the system property " + THRESHOLD_PROPERTY
                    + " or EventLoop.setBlockedThreshold; 0 turns this warning off.)";
            LoopThreadStack trace = new LoopThreadStack(owner, lastedMs);
            trace.setStackTrace(stack);
            System.getLogger("io.jivykis").log(System.Logger.Level.WARNING, message, trace);
            Flight.blocked(owner, kind, lastedNanos, thresholdNanos, stack);
        }
    }

    /**
     * The kind of object a step dispatches: the public class it belongs to ("Timer",
     * "EventRaw"...), "executor" for the loop's executor, "loop" for the loop's own code.
     */
    static String kindOf(Object object) {
        if (object instanceof Loop) {
            return "loop";
        }
        if (object instanceof LoopExecutor) {
            return "executor";
        }
        if (object instanceof Source) {
            return ((Source) object).kind();
        }
        return object.getClass().getSimpleName();
    }

    private static String describe(String kind) {
        switch (kind) {
            case "loop":
                return "the loop's own code (between handlers)";
            case "executor":
                return "a task of its executor";
            default:
                String article = "AEIOU".indexOf(kind.toUpperCase(Locale.ROOT).charAt(0)) >= 0 ? "an " : "a ";
                return "a handler of " + article + kind;
        }
    }

    /** Carries the loop thread's stack into the log record; never thrown. */
    static final class LoopThreadStack extends Throwable {
        private static final long serialVersionUID = 1L;

        LoopThreadStack(Thread owner, long lastedMs) {
            super("stack of thread \"" + owner.getName() + "\" after " + lastedMs + " ms in one step");
        }
    }
}
