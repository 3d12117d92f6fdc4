package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The engine of one thread's event loop: an epoll instance, a table of registered
 * {@link Source}s, and two queues of posted sources.
 *
 * <p>One iteration: wait in epoll_wait (not at all when posted work is queued), dispatch
 * every descriptor that is ready, then dispatch posted sources in post order, at most
 * {@link #POST_BUDGET} of them, so descriptors are polled again even under a flood of posts.
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
            while (!quitRequested && attached > 0) {
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

    private void iterate() {
        boolean block = ownerHead == null && takenHead == null;
        if (block) {
            SLEEPING.setVolatile(this, 1);
            if (REMOTE_HEAD.getVolatile(this) != null) {
                block = false;
            }
        }
        int n = epoll.await(block ? -1 : 0);
        if (block) {
            // A poster that still sees 1 makes one spurious wake-up, which is harmless.
            SLEEPING.setOpaque(this, 0);
        }
        for (int i = 0; i < n && !quitRequested; i++) {
            dispatchReady(epoll.token(i), epoll.flags(i));
        }
        dispatchPosted();
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

    void detach(Source source) {
        int slot = source.slot;
        if (slot < 0 || slots[slot] != source) {
            return;
        }
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
     * number of registered objects it unregistered, or -1 when the owner is still alive (then
     * nothing is touched).
     */
    public int closeAbandoned() {
        if (owner.isAlive()) {
            return -1;
        }
        if (closed) {
            return 0;
        }
        int registered = attached;
        closeNow();
        return registered;
    }

    private void closeNow() {
        closed = true;
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
