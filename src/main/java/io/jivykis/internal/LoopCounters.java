package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one loop counts about itself, and the mark of the step it is in, for
 * {@code EventLoop.metrics()} and the blocked-loop {@link Watchdog}.
 *
 * <p>{@link Loop} extends this class (which extends {@link PostQueue}) for the reason given
 * there: the counters live in the loop object itself, so counting a dispatch costs one store
 * to a line the loop already owns, and no load of another object.
 *
 * <p><b>Orderings.</b> Every field has one writer: the loop thread, except
 * {@link #blockedWarnings} and {@link #longestStepNanos}, written by the watchdog thread
 * alone. The writer reads its field plainly (nobody else writes it) and stores the new value
 * with an opaque store; readers on other threads load it opaquely. That is enough for what a
 * reader is promised: each value it reads is one the writer stored (opaque accesses to a
 * long are atomic, which plain ones are not required to be), and a later read never returns
 * an older value than an earlier one (opaque accesses are coherent per variable). No reader
 * infers anything about other memory from a counter, so no release/acquire pair is needed,
 * and values of different counters read one after the other are not a consistent cut; that
 * holds on weakly ordered hardware (aarch64) as well, where an opaque store is a plain
 * {@code str} and costs what a plain store costs. Opaque, unlike plain, also keeps the JIT
 * from keeping a counter in a register across a batch of dispatches and storing it once at
 * the end, which would make the figures jump.
 *
 * <p><b>The step mark</b> (for the watchdog): before each dispatch the loop stores a new
 * step number (opaque), then the object being dispatched (release); before a wait that could
 * block it stores a number and null (the loop is idle, not blocked). The watchdog loads the
 * object (acquire), then the number: when it reads the object of step n+1 the release makes
 * number n+1 visible too, so a number that did not change across its samples names the step
 * it has seen stuck. See {@link Watchdog} for how the samples are used.
 */
public abstract class LoopCounters extends PostQueue {
    /** Indexes into {@link #readCounters(long[])}'s array; {@code COUNT} is its length. */
    public static final int ITERATIONS = 0, WAITS = 1, BLOCKED_NANOS = 2, TIMERS_FIRED = 3, TIMER_LATENESS_NANOS = 4,
            MAX_TIMER_LATENESS_NANOS = 5, TASKS_RUN = 6, DESCRIPTOR_REPORTS = 7, FOREIGN_DRAINS = 8,
            SIGNALS_DELIVERED = 9, POSTED_RUNS = 10, BLOCKED_WARNINGS = 11, LONGEST_STEP_NANOS = 12,
            REGISTERED = 13, COUNT = 14;

    private static final VarHandle ITERATIONS_H = handle("iterations", long.class);
    private static final VarHandle WAITS_H = handle("waits", long.class);
    private static final VarHandle BLOCKED_NANOS_H = handle("blockedNanos", long.class);
    private static final VarHandle TIMERS_FIRED_H = handle("timersFired", long.class);
    private static final VarHandle TIMER_LATENESS_H = handle("timerLatenessNanos", long.class);
    private static final VarHandle MAX_TIMER_LATENESS_H = handle("maxTimerLatenessNanos", long.class);
    private static final VarHandle TASKS_RUN_H = handle("tasksRun", long.class);
    private static final VarHandle DESCRIPTOR_REPORTS_H = handle("descriptorReports", long.class);
    private static final VarHandle FOREIGN_DRAINS_H = handle("foreignDrains", long.class);
    private static final VarHandle SIGNALS_DELIVERED_H = handle("signalsDelivered", long.class);
    private static final VarHandle POSTED_RUNS_H = handle("postedRuns", long.class);
    private static final VarHandle BLOCKED_WARNINGS_H = handle("blockedWarnings", long.class);
    private static final VarHandle LONGEST_STEP_H = handle("longestStepNanos", long.class);
    private static final VarHandle REGISTERED_H = handle("registered", int.class);
    private static final VarHandle STEP = handle("step", long.class);
    private static final VarHandle STEP_OBJECT = handle("stepObject", Object.class);
    /** The long counters in {@link #readCounters(long[])}'s order (its indexes). */
    private static final VarHandle[] LONGS = {ITERATIONS_H, WAITS_H, BLOCKED_NANOS_H, TIMERS_FIRED_H,
        TIMER_LATENESS_H, MAX_TIMER_LATENESS_H, TASKS_RUN_H, DESCRIPTOR_REPORTS_H, FOREIGN_DRAINS_H,
        SIGNALS_DELIVERED_H, POSTED_RUNS_H, BLOCKED_WARNINGS_H, LONGEST_STEP_H};

    private static VarHandle handle(String name, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(LoopCounters.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Loop thread writes (opaque); any thread reads (opaque). Accessed through the handles.
    private long iterations;
    private long waits;
    private long blockedNanos;
    private long timersFired;
    private long timerLatenessNanos;
    private long maxTimerLatenessNanos;
    private long tasksRun;
    private long descriptorReports;
    private long foreignDrains;
    private long signalsDelivered;
    private long postedRuns;
    private int registered;
    // Watchdog thread writes (opaque); any thread reads (opaque).
    private long blockedWarnings;
    private long longestStepNanos;

    /** The step number: one more at each dispatch and each wait. Loop writes (opaque). */
    private long step;
    /** What the current step dispatches, the loop itself for its own code, null while idle. Loop writes (release). */
    private Object stepObject;

    // ---- Loop thread ------------------------------------------------------------------

    /** One more iteration of run(). */
    final void countIteration() {
        ITERATIONS_H.setOpaque(this, iterations + 1);
    }

    /** One more wait that could block, which lasted {@code nanos}. */
    final void countWait(long nanos) {
        WAITS_H.setOpaque(this, waits + 1);
        BLOCKED_NANOS_H.setOpaque(this, blockedNanos + nanos);
    }

    /** A timer ran {@code lateNanos} after its deadline (by the loop's cached time). */
    final void countTimer(long lateNanos) {
        long late = Math.max(0, lateNanos);
        TIMERS_FIRED_H.setOpaque(this, timersFired + 1);
        TIMER_LATENESS_H.setOpaque(this, timerLatenessNanos + late);
        if (late > maxTimerLatenessNanos) {
            MAX_TIMER_LATENESS_H.setOpaque(this, late);
        }
    }

    /** One more task run. */
    final void countTask() {
        TASKS_RUN_H.setOpaque(this, tasksRun + 1);
    }

    /** One more readiness report dispatched to a registered object. */
    final void countDescriptorReport() {
        DESCRIPTOR_REPORTS_H.setOpaque(this, descriptorReports + 1);
    }

    /** A drain found a write from outside Java's posts; {@code signal} when it came from a signal handler. */
    final void countForeignDrain(boolean signal) {
        FOREIGN_DRAINS_H.setOpaque(this, foreignDrains + 1);
        if (signal) {
            SIGNALS_DELIVERED_H.setOpaque(this, signalsDelivered + 1);
        }
    }

    /** One more run of a posted object. */
    final void countPostedRun() {
        POSTED_RUNS_H.setOpaque(this, postedRuns + 1);
    }

    /** The number of registered objects changed to {@code count}. */
    final void publishRegistered(int count) {
        REGISTERED_H.setOpaque(this, count);
    }

    /**
     * Marks the start of a step: the dispatch of {@code object}, the loop's own code (the
     * loop itself), or idleness (null: waiting, or outside run()). One opaque and one
     * release store; on x86 both are plain moves, on aarch64 a {@code str} and an {@code stlr}.
     */
    final void markStep(Object object) {
        STEP.setOpaque(this, step + 1);
        STEP_OBJECT.setRelease(this, object);
    }

    // ---- Watchdog thread --------------------------------------------------------------

    /** The object of the current step (acquire: see the class comment), null while idle. */
    final Object stepObject() {
        return STEP_OBJECT.getAcquire(this);
    }

    /** The current step number; read after {@link #stepObject()}. */
    final long stepNumber() {
        return (long) STEP.getOpaque(this);
    }

    /** The watchdog warned about one more blocked step. Watchdog thread only. */
    final void countBlockedWarning() {
        BLOCKED_WARNINGS_H.setOpaque(this, blockedWarnings + 1);
    }

    /** The watchdog saw a step last at least {@code nanos}. Watchdog thread only. */
    final void observeStep(long nanos) {
        if (nanos > longestStepNanos) {
            LONGEST_STEP_H.setOpaque(this, nanos);
        }
    }

    // ---- Any thread -------------------------------------------------------------------

    /**
     * Fills {@code into} (at least {@link #COUNT} long) with every counter, read one by one
     * (opaque): each is exact at the moment it is read; together they are not one cut.
     */
    final void readCounters(long[] into) {
        for (int i = 0; i < LONGS.length; i++) {
            into[i] = (long) LONGS[i].getOpaque(this);
        }
        into[REGISTERED] = (int) REGISTERED_H.getOpaque(this);
    }
}
