package io.jivykis;

/**
 * What an {@link EventLoop} has done since it was opened: an immutable snapshot taken by
 * {@link EventLoop#metrics()}, from any thread.
 *
 * <p>Every counter is kept by the thread that does what it counts, so keeping them costs
 * the loop a store per dispatch and posters nothing (see {@link #wakeUpWrites()} for the one
 * poster-side count). Each value is exact at the moment it was read; a snapshot taken on
 * another thread while the loop runs reads them one after another, so relations between
 * them (such as {@link #handlerCalls()} being the sum of its parts) may be off by the
 * dispatches made meanwhile. Taken on the loop's thread, or after {@link EventLoop#run()}
 * returned and that is known to the caller (a join, a handler's signal), every value is
 * exact. Counters only grow, and a later snapshot never shows a smaller value than an
 * earlier one. The one that comes from sampling, {@link #longestStepNanos()}, is approximate.
 *
 * <p>Durations are in nanoseconds of the {@link System#nanoTime()} clock.
 */
public final class LoopMetrics {
    private final long iterations;
    private final long waits;
    private final long blockedNanos;
    private final long wakeUpWrites;
    private final int registered;
    private final long timersFired;
    private final long timerLatenessNanos;
    private final long maxTimerLatenessNanos;
    private final long tasksRun;
    private final long descriptorReports;
    private final long foreignDrains;
    private final long signalsDelivered;
    private final long postedRuns;
    private final long blockedWarnings;
    private final long longestStepNanos;

    LoopMetrics(long iterations, long waits, long blockedNanos, long wakeUpWrites, int registered,
            long timersFired, long timerLatenessNanos, long maxTimerLatenessNanos, long tasksRun,
            long descriptorReports, long foreignDrains, long signalsDelivered, long postedRuns,
            long blockedWarnings, long longestStepNanos) {
        this.iterations = iterations;
        this.waits = waits;
        this.blockedNanos = blockedNanos;
        this.wakeUpWrites = wakeUpWrites;
        this.registered = registered;
        this.timersFired = timersFired;
        this.timerLatenessNanos = timerLatenessNanos;
        this.maxTimerLatenessNanos = maxTimerLatenessNanos;
        this.tasksRun = tasksRun;
        this.descriptorReports = descriptorReports;
        this.foreignDrains = foreignDrains;
        this.signalsDelivered = signalsDelivered;
        this.postedRuns = postedRuns;
        this.blockedWarnings = blockedWarnings;
        this.longestStepNanos = longestStepNanos;
    }

    /**
     * Iterations of {@link EventLoop#run()} (timers, tasks, wait, ready descriptors, posts), exact.
     *
     * @return the number of iterations since the loop opened, over every call of {@code run()}
     */
    public long iterations() {
        return iterations;
    }

    /**
     * Dispatches to registered objects, exact: {@link #timersFired()} + {@link #tasksRun()} +
     * {@link #descriptorReports()} + {@link #postedRuns()}. A batch of executor tasks counts once.
     *
     * @return the number of handler calls since the loop opened
     */
    public long handlerCalls() {
        return timersFired + tasksRun + descriptorReports + postedRuns;
    }

    /**
     * Waits in epoll that could block (with work queued the loop only polls, which is not counted), exact.
     *
     * @return the number of such waits since the loop opened
     */
    public long waits() {
        return waits;
    }

    /**
     * Time spent inside those {@link #waits()}: the loop's idle time, exact to the clock's resolution.
     *
     * @return the total idle time in nanoseconds
     */
    public long blockedNanos() {
        return blockedNanos;
    }

    /**
     * System calls other threads made to wake this loop from a wait, exact. Posts made while
     * the loop is awake, or while a wake-up is already under way, cost none: the difference
     * between the posts made from other threads and this count is what the wake-up protocol saved.
     *
     * @return the number of wake-up writes since the loop opened
     */
    public long wakeUpWrites() {
        return wakeUpWrites;
    }

    /**
     * Objects registered with the loop at the moment of the snapshot (ivykis's numobjs), exact.
     *
     * @return the number of objects registered then
     */
    public int registered() {
        return registered;
    }

    /**
     * {@link Timer} handler runs, exact.
     *
     * @return the number of timer handler runs since the loop opened
     */
    public long timersFired() {
        return timersFired;
    }

    /**
     * The sum of how late each timer ran after its deadline, by the loop's cached time ({@link EventLoop#now()}), exact.
     *
     * @return the total lateness in nanoseconds; divide by {@link #timersFired()} for the mean
     */
    public long timerLatenessNanos() {
        return timerLatenessNanos;
    }

    /**
     * The latest any timer ran after its deadline, by the loop's cached time, exact.
     *
     * @return the largest lateness in nanoseconds, 0 if no timer has run
     */
    public long maxTimerLatenessNanos() {
        return maxTimerLatenessNanos;
    }

    /**
     * {@link Task} handler runs, exact.
     *
     * @return the number of task handler runs since the loop opened
     */
    public long tasksRun() {
        return tasksRun;
    }

    /**
     * Readiness reports dispatched ({@link FdWatch}, and {@link EventRaw} or {@link SignalHandler}
     * descriptors written from outside Java's posts), exact; the wake-up descriptor is not counted.
     *
     * @return the number of readiness reports dispatched since the loop opened
     */
    public long descriptorReports() {
        return descriptorReports;
    }

    /**
     * Reports whose drain found a write made outside this JVM's Java posts (another process,
     * native code, a signal handler) and ran the handler, exact; writes that came before the
     * drain coalesce into one.
     *
     * @return the number of such drains since the loop opened
     */
    public long foreignDrains() {
        return foreignDrains;
    }

    /**
     * {@link SignalHandler} runs (part of {@link #foreignDrains()}); signals that arrive before a run coalesce into it, exact.
     *
     * @return the number of signal handler runs since the loop opened
     */
    public long signalsDelivered() {
        return signalsDelivered;
    }

    /**
     * Runs of posted objects ({@link Event}, {@link EventRaw} posted in-process, the
     * {@link EventLoop#executor()}), exact. Posts made before a run coalesce into it, and are
     * not counted apart, which would cost every post a write: posts made minus this count is
     * what coalescing saved.
     *
     * @return the number of runs of posted objects since the loop opened
     */
    public long postedRuns() {
        return postedRuns;
    }

    /**
     * Blocked-loop warnings logged for this loop (see {@link EventLoop#setBlockedThreshold}), exact.
     *
     * @return the number of warnings logged since the loop opened
     */
    public long blockedWarnings() {
        return blockedWarnings;
    }

    /**
     * Approximate: the longest single step (one handler, or the loop's own code between two)
     * the blocked-loop watchdog saw, a lower bound measured in its sampling periods (a quarter
     * of the threshold); 0 if no step outlasted one period, or the threshold is off.
     *
     * @return the longest step seen, in nanoseconds, or 0
     */
    public long longestStepNanos() {
        return longestStepNanos;
    }

    /** One line with every counter, for a log or a console ("iterations=... handlerCalls=..."). */
    @Override
    public String toString() {
        return "iterations=" + iterations + " handlerCalls=" + handlerCalls() + " waits=" + waits
                + " blockedNanos=" + blockedNanos + " wakeUpWrites=" + wakeUpWrites + " registered=" + registered
                + " timersFired=" + timersFired + " timerLatenessNanos=" + timerLatenessNanos
                + " maxTimerLatenessNanos=" + maxTimerLatenessNanos + " tasksRun=" + tasksRun
                + " descriptorReports=" + descriptorReports + " foreignDrains=" + foreignDrains
                + " signalsDelivered=" + signalsDelivered + " postedRuns=" + postedRuns
                + " blockedWarnings=" + blockedWarnings + " longestStepNanos=" + longestStepNanos;
    }
}
