package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Something registered with a {@link Loop}: it keeps the loop's {@code run()} alive, may
 * watch a descriptor (readiness is delivered to {@link #ready(int)}), may be posted
 * in-process (delivered to {@link #posted()}), and may be due once, at a deadline or on the
 * next iteration (delivered to {@link #due()}). Every kind of loop object shares this one
 * dispatch path.
 *
 * <p>A Source is made fresh for each registration and never reused, so a post or an epoll
 * result that arrives for an old registration is recognised and dropped.
 */
public abstract class Source extends SourceDispatchFields {
    private static final VarHandle REMOTE;
    // The states of a source's two posts (see post()). Both: IDLE, not queued; QUEUED, in
    // its queue and to run; SPENT, still in its queue, but a run from the other queue has
    // taken its post, so the entry is skipped. The owner's alone: RUNNING, its handler runs
    // and it is in no FIFO; RERUN, the same, and the loop's thread has posted it since.
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int SPENT = 2;
    private static final int RUNNING = 3;
    private static final int RERUN = 4;

    static {
        try {
            REMOTE = MethodHandles.lookup().findVarHandle(SourceDispatchFields.class, "remoteState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The fields a post and a dispatch touch (loop, owner, handler, the two post states,
    // detached, the two queue links) are in SourceDispatchFields, so that they come first in
    // the object; the rest follow.

    /** Index in the loop's table, -1 while detached. Loop thread only. */
    int slot = -1;

    /** The epoll token of this registration (generation and slot). Loop thread only. */
    long token;

    /** The System.nanoTime() deadline while armed as a timer. Loop thread only. */
    long deadline;

    /** Arming order, breaking ties between equal deadlines. Loop thread only. */
    long sequence;

    /** Position in the loop's timer heap, -1 when not in it. Loop thread only. */
    int heapIndex = -1;

    /** Link in the loop's task queue. Loop thread only. */
    Source nextTask;

    /** The registrar whose object holds this source as its registration, or null. Loop thread only. */
    private Registrar<?, ?> registrar;
    /** That object. */
    private Object holder;

    /** Creates a source for {@code loop} that dispatches through its own overrides; {@link #attach()} registers it. */
    protected Source(Loop loop) {
        super(loop, null);
    }

    /** Creates a source for {@code loop} whose dispatch runs {@code handler}; {@link #attach()} registers it. */
    Source(Loop loop, Runnable handler) {
        super(loop, handler);
    }

    /** Called on the loop thread when the watched descriptor reports {@code epollFlags}. */
    protected void ready(int epollFlags) {}

    /** Called on the loop thread once after one or more {@link #post()} calls. */
    protected void posted() {}

    /**
     * Called on the loop thread once when this source is due: its timer deadline has passed
     * ({@link #armTimer(long)}), or the iteration after {@link #scheduleTask()}. The source is
     * still attached; one-shot objects detach themselves here before running user code.
     */
    protected void due() {}

    /** Called on the loop thread when the source is detached, to release what it holds. */
    protected abstract void released();

    /** Registers with the loop: counts toward {@code run()} and gets a token. Loop thread only. */
    protected final void attach() {
        loop.attach(this);
    }

    /**
     * Makes {@link #due()} run once when {@code deadlineNanos} (System.nanoTime() clock) has
     * passed; a deadline already past runs on the next iteration. Attached sources only;
     * loop thread only.
     */
    protected final void armTimer(long deadlineNanos) {
        loop.armTimer(this, deadlineNanos);
    }

    /** Makes {@link #due()} run once on the next iteration, before the loop blocks. Attached sources only; loop thread only. */
    protected final void scheduleTask() {
        loop.scheduleTask(this);
    }

    /**
     * Unregisters: leaves the loop, clears the public object's registration (so posters stop
     * finding this source), then calls {@link #released()}. Loop thread only; a second call
     * does nothing.
     */
    public final void detach() {
        if (!detached) {
            loop.detach(this);
            detached = true;
            if (registrar != null) {
                registrar.forget(holder, this);
            }
            released();
        }
    }

    /** Records which public object holds this source, so {@link #detach()} clears it there. */
    final void bind(Registrar<?, ?> registrar, Object holder) {
        this.registrar = registrar;
        this.holder = holder;
    }

    /**
     * The kind of public object this source registers, for messages ("Timer", "EventRaw"):
     * its registrar's, or else the public class the source's class is nested in.
     */
    final String kind() {
        if (registrar != null) {
            return registrar.kind();
        }
        Class<?> type = getClass();
        Class<?> outer = type.getEnclosingClass();
        return (outer != null ? outer : type).getSimpleName();
    }

    /**
     * Whether this source is a registered object of its own (what {@code registered()} and
     * an abandoned loop's report count), rather than part of another's registration.
     */
    boolean countsAsObject() {
        return true;
    }

    /** The loop this source belongs to. */
    public final Loop loop() {
        return loop;
    }

    /** Whether this source is still registered. Loop thread only. */
    public final boolean isAttached() {
        return !detached && slot >= 0;
    }

    /**
     * Schedules {@link #posted()} on the loop thread. Lock-free and allocation-free.
     *
     * <p>A post from the loop's own thread and one from another thread go to separate queues
     * (the owner FIFO, the remote stack) with separate states, so that a post made on the
     * loop's thread needs no atomic instruction and no fence: program order already shows
     * its writes to the handler. An idle source joins the FIFO; a running one is marked to
     * run again, and the loop appends it after the handler returns ({@link #endRun()}), so a
     * handler that re-posts its own source does not make the next iteration wait for its
     * own store to the FIFO. Another thread fences (StoreLoad), then takes an idle or spent
     * state to queued with a CAS, pushing the source if it was idle; a queued post is
     * coalesced. A source may sit in both queues: the run that takes it out of either takes
     * both posts ({@link #takeOwnerRun()}, {@link #takeRemoteRun()}) and leaves the other
     * entry spent, so posts made before a run coalesce into it, whichever threads made them.
     */
    public final void post() {
        if (Thread.currentThread() == owner) {
            int state = ownerState;
            if (state == IDLE) {
                ownerState = QUEUED;
                loop.enqueueFromOwner(this);
            } else if (state == SPENT) {
                ownerState = QUEUED; // still in the FIFO
            } else if (state == RUNNING) {
                ownerState = RERUN;
            }
            return;
        }
        postFromOtherThread();
    }

    private void postFromOtherThread() {
        VarHandle.fullFence();
        for (;;) {
            int state = (int) REMOTE.getOpaque(this);
            if (state == QUEUED) {
                return;
            }
            if (REMOTE.compareAndSet(this, state, QUEUED)) {
                if (state == IDLE) {
                    loop.enqueueFromOtherThread(this);
                }
                return;
            }
        }
    }

    /**
     * Starts a run of a source taken out of the owner FIFO; false when its entry was spent.
     * A remote post still queued is taken too (and its stack entry spent) by a store and a
     * full fence, which pair with the poster's fence and load (store, fence, load on both
     * sides): either the poster finds it spent and queues it again, or this run sees what
     * the poster wrote before it found the post queued. A plain store is enough because
     * posters change only idle or spent states. A CAS would not do instead of the fence: on
     * aarch64 it lets a later load move above its store. Loop thread only.
     */
    final boolean takeOwnerRun() {
        if (ownerState == SPENT) {
            ownerState = IDLE;
            return false;
        }
        ownerState = RUNNING;
        if ((int) REMOTE.getOpaque(this) == QUEUED) {
            REMOTE.setRelease(this, SPENT);
            VarHandle.fullFence();
        }
        return true;
    }

    /**
     * Starts a run of a source taken off the remote stack; false when its entry was spent
     * and no post has come since. The remote post is taken by a store and a full fence, as
     * in {@link #takeOwnerRun()}; a release store, so that the loop's unlinking of the
     * source comes before a poster may push it again. An owner post still in the FIFO is
     * taken too (its entry spent). Loop thread only.
     */
    final boolean takeRemoteRun() {
        if ((int) REMOTE.getOpaque(this) == SPENT && REMOTE.compareAndSet(this, SPENT, IDLE)) {
            return false;
        }
        REMOTE.setRelease(this, IDLE);
        VarHandle.fullFence();
        int state = ownerState;
        if (state == QUEUED) {
            ownerState = SPENT;
        } else if (state == IDLE) {
            ownerState = RUNNING;
        }
        return true;
    }

    /**
     * Ends a run, also one whose handler threw: returns whether the loop's thread posted the
     * source during it, so that the loop appends it to the FIFO now (unless it has been
     * detached meanwhile). Loop thread only.
     */
    final boolean endRun() {
        int state = ownerState;
        if (state == RERUN) {
            if (detached) {
                ownerState = IDLE;
                return false;
            }
            ownerState = QUEUED;
            return true;
        }
        if (state == RUNNING) {
            ownerState = IDLE;
        }
        return false;
    }
}
