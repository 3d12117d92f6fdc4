package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The engine of one thread's event loop: an epoll instance, a table of registered
 * {@link Source}s, a heap of armed timers, a queue of tasks and two queues of posted sources.
 *
 * <p>One iteration, in this order (kept on purpose; {@code EventLoop} documents it):
 * <ol>
 *   <li>forget the cached time: {@link #now()} reads the clock at its first use in the
 *       iteration (the timer step, if timers are armed) and keeps that value, so a loop
 *       without timers makes no clock call;
 *   <li>run the timers whose deadline is at or before that time, earliest first, equal
 *       deadlines in arming order (timers armed while this step runs wait for the next
 *       iteration);
 *   <li>run the tasks scheduled before this step started, in scheduling order;
 *   <li>stop if {@code quit()} was called or nothing is left to do; else wait in epoll: not
 *       at all when tasks or posts are queued or a deadline has passed, until the nearest
 *       deadline when a timer is armed, else without limit;
 *   <li>read the clock again if the wait could have blocked, and dispatch every ready
 *       descriptor;
 *   <li>dispatch posted sources in post order, at most {@link #POST_BUDGET} of them, so
 *       descriptors and timers are served again even under a flood of posts.
 * </ol>
 *
 * <p>Posts from the loop's own thread go to a plain owner-only queue and cost no system
 * call. Posts from other threads go to a lock-free stack; the poster wakes the loop with one
 * write to the loop's wake-up descriptor only if the loop is about to sleep or sleeping.
 * With eventfd that descriptor is edge-triggered and never read, so the woken loop makes no
 * system call for it.
 */
public final class Loop {
    /** How many posted sources one iteration dispatches before polling descriptors again. */
    static final int POST_BUDGET = 1024;
    private static final int EPOLL_CAPACITY = 256;
    /** The token of the wake-up descriptor; no slot reaches 0xFFFFFFFF. */
    private static final long WAKE_TOKEN = -1L;
    private static final int CLOSED_BIT = Integer.MIN_VALUE;
    /** The longest single timed wait (about 73 years): keeps deadline differences far from overflow. */
    private static final long MAX_WAIT_NANOS = Long.MAX_VALUE >> 2;

    private static final VarHandle REMOTE_HEAD;
    private static final VarHandle SLEEPING;
    private static final VarHandle WAKE_WRITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REMOTE_HEAD = lookup.findVarHandle(Loop.class, "remoteHead", Source.class);
            SLEEPING = lookup.findVarHandle(Loop.class, "sleeping", int.class);
            WAKE_WRITERS = lookup.findVarHandle(Loop.class, "wakeWriters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final Epoll epoll;
    private final EventDescriptor wake;

    // Loop-thread state (plain fields).
    private Source[] slots = new Source[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int slotsUsed;
    private int attached;
    private int generation;
    private boolean running;
    private boolean quitRequested;
    private boolean closed;
    /** Posts made on the loop thread, FIFO (plain: only the owner touches it). */
    private Source ownerHead;
    private Source ownerTail;
    /** Posts taken from the remote stack, already reversed into post order. */
    private Source takenHead;
    /** Armed timers. */
    private final TimerHeap timers = new TimerHeap();
    /** Scheduled tasks, FIFO, linked through {@link Source#nextTask}. */
    private Source taskHead;
    private Source taskTail;
    private int taskCount;
    /** The System.nanoTime() read at the start of the iteration (and again after a wait). */
    private long now;
    /** Whether {@link #now} was read in this iteration (since its last wait). */
    private boolean nowValid;
    /**
     * Which registration watches each caller-owned descriptor (FdWatch), so that a watch
     * whose descriptor was closed and whose number was reused does not, on unregister,
     * remove the newer watch of that number from the epoll set.
     */
    private final HashMap<Integer, Source> watchedDescriptors = new HashMap<>();
    /** Runs Runnables from any thread through the posted step; shut down when the loop closes. */
    private final LoopExecutor executor = new LoopExecutor(this);

    /**
     * Posts made by other threads: a Treiber stack. Pushed with a CAS (release of the
     * source's link), taken whole by the loop with getAndSet (acquire).
     */
    @SuppressWarnings("unused") // accessed through REMOTE_HEAD
    private volatile Source remoteHead;

    /**
     * 1 while the loop is about to block or blocked in epoll_wait. The loop stores 1 and then
     * reads the remote stack; a poster pushes and then reads this flag; both accesses are
     * sequentially consistent, so at least one side sees the other (no lost wake-up). The one
     * poster that CASes it 1 → 0 writes the wake-up descriptor.
     */
    @SuppressWarnings("unused") // accessed through SLEEPING
    private volatile int sleeping;

    /**
     * Count of posters writing the wake-up descriptor right now, plus CLOSED_BIT once the
     * loop closes. close() waits for the count to reach zero before closing the descriptor,
     * so no write can reach a number the kernel has given to someone else.
     */
    @SuppressWarnings("unused") // accessed through WAKE_WRITERS
    private volatile int wakeWriters;

    private Loop(Thread owner, Epoll epoll, EventDescriptor wake) {
        this.owner = owner;
        this.epoll = epoll;
        this.wake = wake;
        this.now = System.nanoTime();
        this.nowValid = true;
    }

    /** Creates a loop owned by the calling thread; leaks nothing when the kernel refuses. */
    public static Loop open() {
        Native.ensureLoaded();
        Epoll epoll = Epoll.open(EPOLL_CAPACITY);
        EventDescriptor wake = null;
        try {
            wake = EventDescriptor.open();
            int flags = Linux.EPOLLIN | (wake.backend() == io.jivykis.Backend.EVENTFD ? Linux.EPOLLET : 0);
            epoll.add(wake.readFd(), flags, WAKE_TOKEN);
            return new Loop(Thread.currentThread(), epoll, wake);
        } catch (RuntimeException e) {
            if (wake != null) {
                wake.close();
            }
            epoll.close();
            throw e;
        }
    }

    /** The thread that owns this loop. */
    public Thread owner() {
        return owner;
    }

    /** Whether {@code thread} owns this loop. */
    public boolean isOwner(Thread thread) {
        return thread == owner;
    }

    /** The epoll instance, for sources that watch descriptors. */
    public Epoll epoll() {
        return epoll;
    }

    /** The number of registered sources (what keeps {@link #run()} going). */
    public int attachedCount() {
        return attached;
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

    /** Records that {@code source} now watches {@code fd}. Loop thread only. */
    void claimDescriptor(int fd, Source source) {
        watchedDescriptors.put(fd, source);
    }

    /**
     * Forgets that {@code source} watches {@code fd}; false if a newer registration has
     * claimed that number since (so the epoll entry is not {@code source}'s any more).
     */
    boolean releaseDescriptor(int fd, Source source) {
        return watchedDescriptors.remove(fd, source);
    }

    /** The executor whose tasks run on this loop's thread. */
    public LoopExecutor executor() {
        return executor;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether {@link #run()} is on the stack. */
    public boolean isRunning() {
        return running;
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
            while (!quitRequested && hasWork()) {
                iterate();
            }
        } finally {
            running = false;
        }
    }

    /** Makes {@link #run()} return after the handler that calls it. Loop thread only. */
    public void quit() {
        checkOwner("EventLoop.quit()");
        quitRequested = true;
    }

    /**
     * Whether run() goes on: something is registered, or posts are still queued (so work
     * handed to the loop while it runs is not stranded when the last object unregisters).
     */
    private boolean hasWork() {
        return attached > 0 || ownerHead != null || takenHead != null || REMOTE_HEAD.getOpaque(this) != null;
    }

    private void iterate() {
        nowValid = false;
        runExpiredTimers();
        runTasks();
        if (quitRequested || !hasWork()) {
            return;
        }
        long timeout = waitTimeout();
        boolean block = timeout != 0;
        if (block) {
            SLEEPING.setVolatile(this, 1);
            if (REMOTE_HEAD.getVolatile(this) != null) {
                // Not going to sleep after all: clear the flag, or the next poster would
                // pay a wake-up write the running loop does not need.
                SLEEPING.setOpaque(this, 0);
                block = false;
                timeout = 0;
            }
        }
        int n = epoll.awaitNanos(timeout);
        if (block) {
            // A poster that still sees 1 makes one spurious wake-up, which is harmless.
            SLEEPING.setOpaque(this, 0);
            nowValid = false;
        }
        for (int i = 0; i < n && !quitRequested; i++) {
            dispatchReady(epoll.token(i), epoll.flags(i));
        }
        dispatchPosted();
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
            first.due();
        }
    }

    /** Runs the tasks queued before this step; those queued by these handlers wait. */
    private void runTasks() {
        for (int n = taskCount; n > 0 && !quitRequested; n--) {
            Source task = taskHead;
            taskHead = task.nextTask;
            if (taskHead == null) {
                taskTail = null;
            }
            task.nextTask = null;
            taskCount--;
            if (!task.detached) {
                task.due();
            }
        }
    }

    /** Nanoseconds to wait: 0 with work queued or a deadline past, -1 without limit. */
    private long waitTimeout() {
        if (ownerHead != null || takenHead != null || taskHead != null) {
            return 0;
        }
        Source first = timers.peek();
        if (first == null) {
            return -1;
        }
        long remaining = first.deadline - System.nanoTime();
        return remaining <= 0 ? 0 : Math.min(remaining, MAX_WAIT_NANOS);
    }

    private void dispatchReady(long token, int flags) {
        if (token == WAKE_TOKEN) {
            if (wake.backend() == io.jivykis.Backend.PIPE) {
                wake.drain();
            }
            return;
        }
        Source source = slots[(int) token];
        // The token carries the registration's generation: a stale result for a slot that
        // was freed (and perhaps reused) in this same batch is dropped here.
        if (source != null && source.token == token) {
            source.ready(flags);
        }
    }

    private void dispatchPosted() {
        for (int i = 0; i < POST_BUDGET && !quitRequested; i++) {
            Source source = nextPosted();
            if (source == null) {
                return;
            }
            source.clearPending();
            if (!source.detached) {
                source.posted();
            }
        }
    }

    /** The next posted source: those taken from other threads first, then the owner's. */
    private Source nextPosted() {
        if (takenHead == null && REMOTE_HEAD.getOpaque(this) != null) {
            takenHead = reverse((Source) REMOTE_HEAD.getAndSet(this, (Source) null));
        }
        Source source = takenHead;
        if (source != null) {
            takenHead = source.nextPosted;
        } else {
            source = ownerHead;
            if (source == null) {
                return null;
            }
            ownerHead = source.nextPosted;
            if (ownerHead == null) {
                ownerTail = null;
            }
        }
        source.nextPosted = null;
        return source;
    }

    private static Source reverse(Source head) {
        Source reversed = null;
        while (head != null) {
            Source next = head.nextPosted;
            head.nextPosted = reversed;
            reversed = head;
            head = next;
        }
        return reversed;
    }

    void enqueueFromOwner(Source source) {
        if (ownerTail == null) {
            ownerHead = source;
        } else {
            ownerTail.nextPosted = source;
        }
        ownerTail = source;
    }

    void enqueueFromOtherThread(Source source) {
        Source head;
        do {
            head = (Source) REMOTE_HEAD.getOpaque(this);
            source.nextPosted = head;
        } while (!REMOTE_HEAD.compareAndSet(this, head, source));
        wakeUp();
    }

    /** Wakes the loop if it is blocked or about to block. Any thread; never after close. */
    public void wakeUp() {
        if ((int) SLEEPING.getVolatile(this) == 0 || !SLEEPING.compareAndSet(this, 1, 0)) {
            return;
        }
        if ((int) WAKE_WRITERS.getAndAdd(this, 1) < 0) {
            WAKE_WRITERS.getAndAdd(this, -1);
            return;
        }
        try {
            wake.signal();
        } finally {
            WAKE_WRITERS.getAndAdd(this, -1);
        }
    }

    void attach(Source source) {
        if (closed) {
            throw new IllegalStateException("register() on a closed event loop: open a new one with EventLoop.open()");
        }
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (slotsUsed == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            slot = slotsUsed++;
        }
        generation = (generation + 1) & 0x7fffffff;
        source.slot = slot;
        source.token = ((long) generation << 32) | slot;
        source.detached = false;
        slots[slot] = source;
        attached++;
    }

    void armTimer(Source source, long deadline) {
        requireAttached(source, "armTimer");
        timers.remove(source);
        timers.add(source, deadline);
    }

    void scheduleTask(Source source) {
        requireAttached(source, "scheduleTask");
        if (taskTail == null) {
            taskHead = source;
        } else {
            taskTail.nextTask = source;
        }
        taskTail = source;
        taskCount++;
    }

    private void requireAttached(Source source, String what) {
        if (source.slot < 0 || slots[source.slot] != source) {
            throw new IllegalStateException(what + " on a source that is not attached to this loop");
        }
    }

    void detach(Source source) {
        int slot = source.slot;
        if (slot < 0 || slots[slot] != source) {
            return;
        }
        timers.remove(source);
        slots[slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
        source.slot = -1;
        source.detached = true;
        attached--;
    }

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
     * public EventLoop's Cleaner). Its owner's termination happens-before this call's
     * {@code isAlive()} check, so the owner's plain fields are safe to read here. Returns the
     * number of registered objects it unregistered, or -1 when there was nothing to do: the
     * owner is still alive (then nothing is touched), or it had closed the loop itself.
     */
    public int closeAbandoned() {
        if (owner.isAlive() || closed) {
            return -1;
        }
        int registered = attached;
        closeNow();
        return registered;
    }

    private void closeNow() {
        closed = true;
        executor.shutDown();
        RuntimeException failure = null;
        for (int i = 0; i < slotsUsed; i++) {
            Source source = slots[i];
            if (source != null) {
                try {
                    source.detach();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        WAKE_WRITERS.getAndAdd(this, CLOSED_BIT);
        while ((int) WAKE_WRITERS.getVolatile(this) != CLOSED_BIT) {
            Thread.onSpinWait();
        }
        ownerHead = ownerTail = takenHead = null;
        taskHead = taskTail = null;
        taskCount = 0;
        REMOTE_HEAD.setVolatile(this, (Source) null);
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
