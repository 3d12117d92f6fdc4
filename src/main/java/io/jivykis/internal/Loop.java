package io.jivykis.internal;

/**
 * The engine of one thread's event loop. It puts in order the parts that each live in their
 * own class: the registered sources ({@link SlotTable}), the descriptors in the epoll set
 * ({@link Watches}), the armed timers ({@link TimerHeap}), the scheduled tasks
 * ({@link TaskQueue}), the posted sources ({@link PostQueue}, which this class extends, for
 * speed: see there), the wake-up protocol ({@link WakeUp}) and what the loop counts about
 * itself ({@link LoopCounters}, also extended, for the same reason; it also holds the mark
 * of the current step that the blocked-loop {@link Watchdog} samples). The order of one
 * iteration is documented once, in {@code EventLoop}'s Javadoc; {@link #iterate()} is that
 * list.
 *
 * <p>Posts from the loop's own thread go to a plain owner-only queue and cost no system
 * call. Posts from other threads go to a lock-free stack; the poster wakes the loop with one
 * write to the wake-up descriptor only if the loop is about to sleep or sleeping.
 *
 * <p>Every method but {@link #enqueueFromOtherThread} (through {@link Source#post()}) and
 * {@link #closeAbandoned()} (and the readers of the counters and the threshold) belongs to
 * the owning thread; the fields are plain but the threshold.
 */
public final class Loop extends LoopCounters {
    /** How many posted sources one iteration dispatches before polling descriptors again. */
    static final int POST_BUDGET = 1024;
    /** How many ready descriptors one wait reports at most; the rest are reported by the next. */
    private static final int EPOLL_CAPACITY = 256;
    /** The token of the wake-up descriptor; no slot token reaches it (see {@link SlotTable}). */
    private static final long WAKE_TOKEN = -1L;

    private final Thread owner;
    private final Epoll epoll;
    private final Watches watches;
    private final WakeUp wake;
    private final SlotTable sources = new SlotTable();
    private final TimerHeap timers = new TimerHeap();
    private final TaskQueue tasks = new TaskQueue();
    /** Runs Runnables from any thread through the posted step; shut down when the loop closes. */
    private final LoopExecutor executor;

    /**
     * How long one step may hold the thread before the {@link Watchdog} warns, in
     * nanoseconds; 0 turns the warning off. Written on the loop thread, read by any
     * (volatile: read once per run(), so the cost does not matter); the watchdog keeps its
     * own copy, handed over under its lock.
     */
    private volatile long blockedThresholdNanos = Watchdog.defaultThresholdNanos();
    /** Whether the watchdog watches this loop now (inside run(), threshold on). Loop thread only. */
    private boolean watched;
    /** This loop's entry in the watchdog, made once so that each run() allocates nothing. */
    private final Watchdog.Watch watchdogEntry = Watchdog.watchOf(this);

    private boolean running;
    private boolean quitRequested;
    private boolean closed;
    /** The System.nanoTime() read at its first use in the iteration (and again after a wait). */
    private long now;
    /** Whether {@link #now} was read in this iteration (since its last wait). */
    private boolean nowValid;

    private Loop(Thread owner, Epoll epoll, WakeUp wake) {
        this.owner = owner;
        this.epoll = epoll;
        this.watches = new Watches(epoll);
        this.wake = wake;
        this.executor = new LoopExecutor(this);
        this.now = System.nanoTime();
        this.nowValid = true;
    }

    /** Creates a loop owned by the calling thread; leaks nothing when the kernel refuses. */
    public static Loop open() {
        Native.ensureLoaded();
        Epoll epoll = Epoll.open(EPOLL_CAPACITY);
        WakeUp wake = null;
        try {
            wake = WakeUp.open();
            Loop loop = new Loop(Thread.currentThread(), epoll, wake);
            Errors.check("epoll_ctl(ADD, wake-up fd " + wake.readFd() + ")",
                    loop.watches.add(wake.readFd(), wake.epollEvents(), WAKE_TOKEN, wake));
            return loop;
        } catch (RuntimeException e) {
            if (wake != null) {
                wake.close();
            }
            epoll.close();
            throw e;
        }
    }

    // ---- One iteration ------------------------------------------------------------------

    /**
     * Dispatches until {@link #quit()} is called or nothing is registered. Handler exceptions
     * propagate; the loop stays consistent and {@code run()} may be called again.
     */
    public void run() {
        checkOwner("EventLoop.run()");
        if (closed) {
            throw new IllegalStateException("EventLoop.run() on a closed loop: open a new one with EventLoop.open()");
        }
        if (running) {
            throw new IllegalStateException("EventLoop.run() was called from inside a handler of the same loop,"
                    + " which is already running: return from the handler instead (call quit() to stop the loop)");
        }
        running = true;
        quitRequested = false;
        try {
            markStep(this);
            watch(blockedThresholdNanos);
            while (!quitRequested && hasWork()) {
                iterate();
            }
        } finally {
            running = false;
            markStep(null);
            watch(0);
        }
    }

    /** One iteration: the steps {@code EventLoop}'s Javadoc lists, in that order. */
    private void iterate() {
        countIteration();
        nowValid = false;
        runExpiredTimers();
        runTasks();
        if (quitRequested || !hasWork()) {
            return;
        }
        int ready = await(waitTimeout());
        dispatchReady(ready);
        dispatchPosted();
    }

    /**
     * Whether run() goes on: something is registered, or posts are still queued (so work
     * handed to the loop while it runs is not stranded when the last object unregisters).
     */
    private boolean hasWork() {
        return sources.size() > 0 || !hasNoPosts();
    }

    /**
     * Runs the timers due at {@link #now()}. A timer armed by one of these handlers has a
     * sequence at or past {@code limit} and waits for the next iteration even when its
     * deadline has passed, so a timer re-armed in the past from its own handler cannot
     * hold the loop in this step.
     */
    private void runExpiredTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long limit = timers.nextSequence();
        long now = cachedNow();
        while (!quitRequested) {
            Source first = timers.peek();
            if (first == null || first.deadline - now > 0 || first.sequence >= limit) {
                return;
            }
            timers.poll();
            countTimer(now - first.deadline);
            markStep(first);
            first.due();
        }
    }

    /** Runs the tasks queued before this step; those queued by these handlers wait. */
    private void runTasks() {
        for (int n = tasks.size(); n > 0 && !quitRequested; n--) {
            Source task = tasks.poll();
            if (!task.detached) {
                countTask();
                markStep(task);
                task.due();
            }
        }
    }

    /** Nanoseconds to wait: 0 with work queued or a deadline past, -1 without limit. */
    private long waitTimeout() {
        if (hasLocalPosts() || !tasks.isEmpty()) {
            return 0;
        }
        Source first = timers.peek();
        if (first == null) {
            return -1;
        }
        long remaining = first.deadline - System.nanoTime();
        return remaining <= 0 ? 0 : Math.min(remaining, Deadlines.MAX_NANOS);
    }

    /**
     * Waits in epoll; returns the number of ready descriptors. A wait that could block tells
     * posters to wake it first, and gives up blocking if a post came in meanwhile.
     */
    private int await(long timeout) {
        boolean block = timeout != 0;
        if (block) {
            wake.aboutToSleep();
            if (hasRemotePostVolatile()) {
                // Not going to sleep after all: clear the flag, or the next poster would
                // pay a wake-up write the running loop does not need.
                wake.awake();
                block = false;
                timeout = 0;
            }
        }
        if (!block) {
            return epoll.awaitNanos(0);
        }
        // Only a wait that could block is measured and marked: it costs a system call that
        // may sleep anyway, so two clock reads and two stores are lost in it; the
        // non-blocking waits of a busy loop pay nothing.
        markStep(null);
        Object flight = Flight.beginWait();
        long start = System.nanoTime();
        int n = epoll.awaitNanos(timeout);
        wake.awake();
        long waited = System.nanoTime() - start;
        markStep(this);
        nowValid = false;
        countWait(waited);
        if (flight != null) {
            Flight.endWait(flight, timeout, n);
        }
        return n;
    }

    private void dispatchReady(int ready) {
        for (int i = 0; i < ready && !quitRequested; i++) {
            long token = epoll.token(i);
            if (token == WAKE_TOKEN) {
                wake.consume();
                continue;
            }
            // A stale result, for a source detached (its slot perhaps reused) by an earlier
            // handler of this batch, names a token no live source has, and is dropped.
            Source source = sources.byToken(token);
            if (source != null) {
                countDescriptorReport();
                markStep(source);
                source.ready(epoll.flags(i));
            }
        }
    }

    /** Runs posted sources, those posted by other threads first; each run answers every post made before it. */
    private void dispatchPosted() {
        for (int i = 0; i < POST_BUDGET && !quitRequested; i++) {
            Source source = pollRemote();
            if (source != null) {
                if (!source.detached && source.takeRemoteRun()) {
                    runPosted(source);
                }
                continue;
            }
            source = pollOwner();
            if (source == null) {
                return;
            }
            if (!source.detached && source.takeOwnerRun()) {
                runPosted(source);
            }
        }
    }

    /** One posted run; a re-post made by the handler on this thread joins the FIFO after it. */
    private void runPosted(Source source) {
        countPostedRun();
        markStep(source);
        try {
            source.posted();
        } finally {
            if (source.endRun()) {
                enqueueFromOwner(source);
            }
        }
    }

    // ---- What sources ask of their loop -----------------------------------------------

    void attach(Source source) {
        if (closed) {
            throw new IllegalStateException("register() on a closed event loop: open a new one with EventLoop.open()");
        }
        sources.add(source);
        source.detached = false;
        publishRegistered(sources.objects());
    }

    void detach(Source source) {
        if (!sources.holds(source)) {
            return;
        }
        timers.remove(source);
        sources.remove(source);
        source.detached = true;
        publishRegistered(sources.objects());
    }

    void armTimer(Source source, long deadline) {
        requireAttached(source, "armTimer");
        timers.remove(source);
        timers.add(source, deadline);
    }

    void scheduleTask(Source source) {
        requireAttached(source, "scheduleTask");
        tasks.add(source);
    }

    private void requireAttached(Source source, String what) {
        if (!sources.holds(source)) {
            throw new IllegalStateException(what + " on a source that is not attached to this loop");
        }
    }

    /**
     * Adds {@code fd} to the epoll set for {@code source} (see {@link Watches}).
     *
     * @return 0, or the negative errno of the refusal
     */
    int watch(int fd, int events, Source source) {
        return watches.add(fd, events, source.token, source);
    }

    /** Changes {@code source}'s events for {@code fd}; 0 or a negative errno (see {@link Watches#modify}). */
    int rewatch(int fd, int events, Source source) {
        return watches.modify(fd, events, source.token, source);
    }

    /** Removes {@code source}'s entry for {@code fd}, if it is still its own. */
    void unwatch(int fd, Source source) {
        watches.remove(fd, source);
    }

    void enqueueFromOtherThread(Source source) {
        pushFromOtherThread(source);
        wake.wakeUp();
    }

    // ---- Accessors and the owner rule -------------------------------------------------

    /** The thread that owns this loop. */
    public Thread owner() {
        return owner;
    }

    /** Whether {@code thread} owns this loop. */
    public boolean isOwner(Thread thread) {
        return thread == owner;
    }

    /** The executor whose tasks run on this loop's thread. */
    public LoopExecutor executor() {
        return executor;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The time cached by the loop (iv_now): System.nanoTime() read at its first use in the
     * current iteration, or since the iteration's wait if that could block, then kept for
     * the rest of it; outside {@link #run()}, a fresh reading. Loop thread only.
     */
    public long now() {
        checkOwner("EventLoop.now()");
        return cachedNow();
    }

    private long cachedNow() {
        if (!nowValid || !running) {
            now = System.nanoTime();
            nowValid = true;
        }
        return now;
    }

    /**
     * Throws unless the calling thread owns this loop.
     *
     * @param action what the caller tried, for the message ("unregister()")
     */
    public void checkOwner(String action) {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException(action + " was called on thread \"" + current.getName()
                    + "\", but this object belongs to the event loop of thread \"" + owner.getName()
                    + "\": call it on that thread, for example from a handler there.");
        }
    }

    /** Makes {@link #run()} return after the handler that calls it. Loop thread only. */
    public void quit() {
        checkOwner("EventLoop.quit()");
        quitRequested = true;
    }

    /** How many wake-up writes other threads made to this loop. Any thread (see {@link WakeUp#writes()}). */
    public long wakeUpWrites() {
        return wake.writes();
    }

    /**
     * This loop's counters, indexed by {@link LoopCounters}'s constants; any thread, each
     * value read on its own (see there).
     */
    public long[] counters() {
        long[] values = new long[COUNT];
        readCounters(values);
        return values;
    }

    /**
     * Sets the blocked-loop threshold in nanoseconds (0: off). Loop thread only; a change made
     * inside {@link #run()} takes effect at once.
     */
    public void setBlockedThresholdNanos(long nanos) {
        checkOwner("EventLoop.setBlockedThreshold()");
        if (nanos < 0) {
            throw new IllegalArgumentException("blocked threshold " + nanos + " ns is negative: use 0 to turn the warning off");
        }
        blockedThresholdNanos = nanos;
        if (running) {
            watch(nanos);
        }
    }

    /** Has the watchdog watch this loop with {@code thresholdNanos}, or not at all for 0. */
    private void watch(long thresholdNanos) {
        if (thresholdNanos > 0) {
            Watchdog.watch(watchdogEntry, thresholdNanos);
            watched = true;
        } else if (watched) {
            watched = false;
            Watchdog.unwatch(watchdogEntry);
        }
    }

    /** The blocked-loop threshold in nanoseconds, 0 when off. Any thread. */
    public long blockedThresholdNanos() {
        return blockedThresholdNanos;
    }

    // ---- Closing ----------------------------------------------------------------------

    /**
     * Detaches every source (closing what they hold), then closes the wake-up and epoll
     * descriptors once no poster is writing. Idempotent. Loop thread only, not from a handler.
     */
    public void close() {
        if (closed) {
            return;
        }
        checkOwner("EventLoop.close()");
        if (running) {
            throw new IllegalStateException("EventLoop.close() was called from a handler while run() is active:"
                    + " call quit() in the handler and close the loop after run() returns");
        }
        closeNow();
    }

    /**
     * Closes the loop of a thread that ended without closing it, from another thread (the
     * public EventLoop's Cleaner, or {@link ShutdownSignalWatch}). Its owner's termination
     * happens-before this call's {@code isAlive()} check, so the owner's plain fields are safe
     * to read here; the two callers may race each other, so they are serialised on the loop
     * (which also makes one's writes visible to the other). Returns the number of registered
     * objects it unregistered, or -1 when there was nothing to do: the owner is still alive
     * (then nothing is touched), or the loop was closed already.
     */
    public synchronized int closeAbandoned() {
        if (owner.isAlive() || closed) {
            return -1;
        }
        int registered = sources.objects();
        closeNow();
        return registered;
    }

    private void closeNow() {
        closed = true;
        executor.shutDown();
        RuntimeException failure = null;
        for (Source source : sources.snapshot()) {
            try {
                source.detach();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        clearPosts();
        tasks.clear();
        try {
            wake.close();
        } finally {
            epoll.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
