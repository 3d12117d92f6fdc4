package io.jivykis;

import io.jivykis.internal.Loop;
import io.jivykis.internal.LoopCounters;
import io.jivykis.internal.Native;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A thread's event loop (ivykis's iv_init / iv_main / iv_quit / iv_deinit).
 *
 * <p>Each thread has at most one loop. Objects registered on a thread ({@link EventRaw} and
 * the others) are dispatched by that thread's loop: their handlers run on that thread,
 * inside {@link #run()}, one at a time.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.open()) {
 *     EventRaw ev = new EventRaw(() -> {
 *         System.out.println("posted");
 *         loop.quit();       // a registered event keeps run() going: stop it here
 *     });
 *     ev.register();
 *     new Thread(ev::post).start();
 *     loop.run();            // returns when quit() is called or nothing is registered
 * }
 * }</pre>
 *
 * <p>{@code run}, {@code quit}, {@code now} and {@code close} may be called only on the
 * owning thread; any other thread gets an {@link IllegalStateException} naming both threads.
 * To stop a loop from another thread, post an event whose handler calls {@link #quit()}, or
 * hand {@code loop::quit} to {@link #executor()}.
 *
 * <p><b>One iteration</b> of {@link #run()} does, in this order:
 * <ol>
 *   <li>forgets the cached time: {@link #now()} reads {@code System.nanoTime()} at its first
 *       use in the iteration (by the timer step when timers are registered, else by the first
 *       handler that asks) and returns that value for the rest of the iteration;
 *   <li>runs every registered {@link Timer} whose deadline is at or before {@code now()},
 *       earliest deadline first and equal deadlines in registration order (a timer registered
 *       during this step, even with a past deadline, waits for the next iteration);
 *   <li>runs every {@link Task} registered before this step began, in registration order;
 *   <li>returns from {@code run()} if {@link #quit()} was called or nothing is registered
 *       (and no executor work is queued); otherwise waits in epoll: not at all if tasks or
 *       posts are pending or a deadline has passed, until the nearest timer deadline if a
 *       timer is registered, else until something happens;
 *   <li>after a wait that could block, forgets the cached time again ({@code now()} moves
 *       on), then calls the handlers of every ready descriptor ({@link EventRaw} posted from outside
 *       the process, {@link FdWatch});
 *   <li>calls the handlers of posted objects ({@link Event}, {@link EventRaw} posted
 *       in-process, the {@link #executor()}'s tasks) in post order, up to a budget, so a flood
 *       of posts cannot starve descriptors and timers.
 * </ol>
 * Every step stops as soon as a handler calls {@link #quit()}; what it did not reach stays
 * pending for the next {@code run()}. An object unregistered by an earlier handler of the
 * same iteration is not called.
 *
 * <p><b>Seeing what a loop does.</b> {@link #metrics()} returns the loop's counters (handler
 * calls, waits, idle time, wake-ups...) from any thread. When one handler holds the loop's
 * thread longer than the blocked threshold ({@link #setBlockedThreshold(Duration)}; default
 * 1 second, or the system property {@code jivykis.blockedThresholdMs}, 0 for off), one
 * warning with the thread's stack goes to the {@code io.jivykis} {@link System.Logger}. JFR
 * events {@code io.jivykis.LoopWait} and {@code io.jivykis.LoopBlocked} (disabled by
 * default) record each wait and each such warning.
 *
 * <p><b>A thread that ends with its loop open.</b> Close loops with try-with-resources. If a
 * thread ends without closing its loop, the loop becomes unreachable with the thread, and a
 * {@link Cleaner} then closes it: every object still registered is unregistered (posts to it
 * do nothing from then on) and every descriptor the loop held is closed. A warning on the
 * {@code io.jivykis} {@link System.Logger} names the thread. Until the garbage collector
 * notices, the descriptors stay open.
 */
public final class EventLoop implements AutoCloseable {
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    private final Loop core;
    /** Closes the engine if this loop becomes unreachable while open (its thread ended). */
    private final Cleaner.Cleanable reclaim;

    private EventLoop(Loop core) {
        this.core = core;
        this.reclaim = Reclaim.CLEANER.register(this, new Reclaim(core));
    }

    /**
     * The Cleaner action: it holds the engine, never the EventLoop (which would then never
     * become unreachable).
     */
    private static final class Reclaim implements Runnable {
        /** One daemon thread for the whole library, started with the first loop. */
        static final Cleaner CLEANER = Cleaner.create();

        private final Loop core;

        Reclaim(Loop core) {
            this.core = core;
        }

        @Override
        public void run() {
            // Run by close() on the owner after the engine closed (nothing to do), or by the
            // Cleaner thread once the owner thread has ended without closing it.
            if (core.isOwner(Thread.currentThread())) {
                return;
            }
            try {
                int registered = core.closeAbandoned();
                if (registered >= 0) {
                    System.getLogger("io.jivykis").log(System.Logger.Level.WARNING,
                            "thread \"" + core.owner().getName() + "\" ended without closing its EventLoop;"
                            + " it was closed when the loop became unreachable (" + registered
                            + " objects were still registered). Close loops with try-with-resources.");
                }
            } catch (RuntimeException e) {
                System.getLogger("io.jivykis").log(System.Logger.Level.WARNING,
                        "closing the EventLoop of ended thread \"" + core.owner().getName() + "\" failed", e);
            }
        }
    }

    /**
     * Whether jivykis can run here: its native library for this platform (Linux on x86_64 or
     * aarch64, glibc) is loaded, or is loaded by this call. Never throws. Where it returns
     * false, every constructor and static method of the other {@code io.jivykis} classes
     * throws, every time, the error {@link #ensureAvailability()} throws.
     *
     * @return true if the native library is loaded
     */
    public static boolean isAvailable() {
        return Native.loadFailure() == null;
    }

    /**
     * Why jivykis cannot run here, with the loader's full account (every place it looked and
     * what each said), or null when it can. Never throws.
     *
     * @return the load failure, or null when {@link #isAvailable()}
     */
    public static Throwable unavailabilityCause() {
        return Native.loadFailure();
    }

    /**
     * Returns if jivykis can run here, and otherwise throws a fresh error whose cause is
     * {@link #unavailabilityCause()}.
     *
     * @throws UnsupportedOperationException on a platform jivykis has no library for
     * @throws UnsatisfiedLinkError if the library for this platform cannot be found or loaded
     */
    public static void ensureAvailability() {
        Native.ensureLoaded();
    }

    /**
     * Creates the calling thread's loop (iv_init).
     *
     * @return the new loop, owned by the calling thread; close it on that thread
     * @throws IllegalStateException if this thread already has an open loop
     * @throws java.io.UncheckedIOException if the kernel refuses the epoll or wake-up descriptor
     * @throws UnsatisfiedLinkError if the native library cannot be loaded; the message says why
     */
    public static EventLoop open() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("thread \"" + Thread.currentThread().getName()
                    + "\" already has an open EventLoop: use EventLoop.current(), or close it first");
        }
        EventLoop loop = new EventLoop(Loop.open());
        CURRENT.set(loop);
        return loop;
    }

    /**
     * The calling thread's loop.
     *
     * @return the loop this thread opened and has not closed
     * @throws IllegalStateException if this thread has none
     */
    public static EventLoop current() {
        EventLoop loop = CURRENT.get();
        if (loop == null) {
            throw new IllegalStateException("thread \"" + Thread.currentThread().getName()
                    + "\" has no EventLoop: call EventLoop.open() on it first");
        }
        return loop;
    }

    /**
     * Whether the calling thread has an open loop (iv_inited).
     *
     * @return true if this thread opened a loop and has not closed it
     */
    public static boolean isOpen() {
        return CURRENT.get() != null;
    }

    /**
     * Dispatches events (iv_main) until {@link #quit()} is called or no object is registered
     * any more; returns at once when nothing is registered. Handlers run on this thread.
     *
     * <p>An exception or error thrown by a handler propagates out of {@code run()} as it is.
     * The loop stays consistent: the object whose handler threw stays registered, everything
     * else that was posted is still queued (a foreign post was drained before its handler
     * ran, so it does not fire again by itself), and {@code run()} may be called again to
     * carry on.
     *
     * @throws IllegalStateException on a thread that does not own the loop, from inside a
     *     handler of this loop (run is not re-entrant), or after {@link #close()}
     */
    public void run() {
        core.run();
    }

    /**
     * Makes {@link #run()} return once the current handler returns (iv_quit). A quit before
     * {@code run()} is forgotten when {@code run()} starts, as in ivykis.
     *
     * @throws IllegalStateException on a thread that does not own the loop
     */
    public void quit() {
        core.quit();
    }

    /**
     * The time this loop cached (iv_now), on the {@link System#nanoTime()} clock: read once
     * per iteration, at its first use (the timer step reads it when timers are registered),
     * and read afresh after the iteration's wait if that could block, so a handler never sees
     * a time from before the loop slept. Handlers of one step see the same value, which makes
     * deadlines computed from it ({@code timer.expiresAt(loop.now() + period)}) drift-free.
     * Outside {@link #run()}, a fresh reading.
     *
     * @return the cached time in nanoseconds, comparable with {@link System#nanoTime()} only
     * @throws IllegalStateException on a thread that does not own the loop
     */
    public long now() {
        return core.now();
    }

    /**
     * An {@link Executor} that runs submitted Runnables on this loop's thread, inside
     * {@link #run()}, in the order each submitting thread submitted them. Any thread may
     * submit; submission is lock-free and allocates one small node; from the loop's own thread,
     * or while earlier submissions are still queued, it makes no system call, and otherwise at
     * most one (to wake the loop).
     *
     * <p>An idle executor does not keep {@link #run()} going, but queued tasks do: work
     * submitted while {@code run()} is active runs before {@code run()} returns, even if the
     * last registered object unregisters meanwhile. Work submitted while {@code run()} is not
     * active waits for the next {@code run()}. A task that throws makes {@code run()} throw;
     * the tasks after it stay queued. Once the loop is closed, {@code execute} throws
     * {@link java.util.concurrent.RejectedExecutionException}; tasks still queued at
     * {@link #close()} are discarded, and one submitted while the loop closes is either
     * rejected or discarded.
     *
     * @return this loop's executor, the same one at every call
     */
    public Executor executor() {
        return core.executor();
    }

    /**
     * Unregisters every object still registered and closes every descriptor the loop owns
     * (iv_deinit). Idempotent. Afterwards, posts to its former objects do nothing.
     *
     * @throws IllegalStateException on a thread that does not own the loop, or from a handler
     *     while {@link #run()} is active
     */
    @Override
    public void close() {
        if (core.isClosed()) {
            return;
        }
        try {
            core.close();
        } finally {
            // Once the engine has started closing it cannot be used again, even when closing
            // one of its objects failed: forget it, so the thread can open a new loop.
            if (core.isClosed() && CURRENT.get() == this) {
                CURRENT.remove();
            }
        }
        reclaim.clean();
    }

    /**
     * What the loop has done so far: a snapshot of its counters (see {@link LoopMetrics} for
     * what each counts and which are approximate). Any thread, also after {@link #close()};
     * it costs the loop nothing, and allocates only the snapshot.
     *
     * @return a new snapshot; it does not change as the loop goes on
     */
    public LoopMetrics metrics() {
        long[] c = core.counters();
        return new LoopMetrics(c[LoopCounters.ITERATIONS], c[LoopCounters.WAITS], c[LoopCounters.BLOCKED_NANOS],
                core.wakeUpWrites(), (int) c[LoopCounters.REGISTERED], c[LoopCounters.TIMERS_FIRED],
                c[LoopCounters.TIMER_LATENESS_NANOS], c[LoopCounters.MAX_TIMER_LATENESS_NANOS],
                c[LoopCounters.TASKS_RUN], c[LoopCounters.DESCRIPTOR_REPORTS], c[LoopCounters.FOREIGN_DRAINS],
                c[LoopCounters.SIGNALS_DELIVERED], c[LoopCounters.POSTED_RUNS], c[LoopCounters.BLOCKED_WARNINGS],
                c[LoopCounters.LONGEST_STEP_NANOS]);
    }

    /**
     * Sets how long one handler (or any single step of an iteration) may hold this loop's
     * thread before a warning is logged; {@link Duration#ZERO} turns the warning off. A new
     * loop starts with the system property {@code jivykis.blockedThresholdMs} (milliseconds),
     * or 1 second without it.
     *
     * <p>While {@link #run()} is active and the threshold is on, one daemon thread for the
     * whole JVM ({@code jivykis-watchdog}) samples the loop a few times per threshold; it
     * exists only while some loop runs with a threshold. When a step outlasts the threshold,
     * one warning per occurrence goes to the {@code io.jivykis} {@link System.Logger} at level
     * WARNING: the loop's thread, the kind of object whose handler it is, how long so far (a
     * lower bound), and the loop thread's stack at that moment as the record's throwable. The
     * warning comes at most a quarter of the threshold late. Setting the threshold inside
     * {@code run()} (from a handler) takes effect at once.
     *
     * @param threshold how long a step may last before the warning; not negative, and
     *     {@link Duration#ZERO} for no warning
     * @throws IllegalArgumentException if {@code threshold} is negative
     * @throws IllegalStateException on a thread that does not own the loop
     */
    public void setBlockedThreshold(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("EventLoop.setBlockedThreshold(" + threshold + "): a threshold"
                    + " cannot be negative; use Duration.ZERO to turn the warning off");
        }
        long nanos;
        try {
            nanos = threshold.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE; // beyond 292 years: as good as never
        }
        core.setBlockedThresholdNanos(nanos);
    }

    /**
     * The blocked threshold. Any thread.
     *
     * @return the threshold, {@link Duration#ZERO} when the warning is off
     */
    public Duration blockedThreshold() {
        return Duration.ofNanos(core.blockedThresholdNanos());
    }

    /** The engine, for the loop objects of this package. */
    Loop core() {
        return core;
    }

    /** The calling thread's engine, or an exception saying how to get one. */
    static Loop coreForRegister(String what) {
        EventLoop loop = CURRENT.get();
        if (loop == null) {
            throw new IllegalStateException(what + ".register() was called on thread \""
                    + Thread.currentThread().getName() + "\", which has no EventLoop:"
                    + " call EventLoop.open() on this thread first");
        }
        return loop.core;
    }
}
