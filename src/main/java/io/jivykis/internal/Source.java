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
    private static final VarHandle PENDING;
    /** Values of {@code pending}: see {@link #post()}. */
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int DIRTY = 2;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(SourceDispatchFields.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The fields a post and a dispatch touch (loop, handler, pending, detached, nextPosted)
    // are in SourceDispatchFields, so that they come first in the object; the rest follow.

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
     * <p>The post cycle, in {@code pending}: {@code IDLE → QUEUED} by whoever posts an idle
     * source (one CAS, so it enters a queue once); {@code QUEUED → DIRTY} by another thread
     * posting a queued or running source; {@code DIRTY → QUEUED} by the loop before a run
     * ({@link #beginRun()}); {@code QUEUED → IDLE} by the loop after a run, unless a post
     * came during it ({@link #endRun()}).
     *
     * <ul>
     *   <li>The loop's own thread posting a queued or running source only sets
     *       {@code postedByOwner}: program order already shows the handler this thread's
     *       writes, and a handler that re-posts its own source costs no atomic instruction.
     *   <li>Another thread fences (StoreLoad) before it reads the state, so either it finds
     *       the source dirty, and the run that next clears that mark sees this thread's
     *       writes ({@link #beginRun()}), or it leaves a mark with a CAS (dirty, or queued on
     *       the remote stack), which the loop finds before or after the run.
     * </ul>
     */
    public final void post() {
        if (Thread.currentThread() == owner) {
            if ((int) PENDING.getOpaque(this) != IDLE) {
                postedByOwner = true;
            } else if (PENDING.compareAndSet(this, IDLE, QUEUED)) {
                loop.enqueueFromOwner(this);
            }
            // else another thread queued it just now: this post is coalesced into that run.
            return;
        }
        VarHandle.fullFence();
        for (;;) {
            int state = (int) PENDING.getOpaque(this);
            if (state == DIRTY) {
                return;
            }
            if (state == QUEUED) {
                if (PENDING.compareAndSet(this, QUEUED, DIRTY)) {
                    return;
                }
            } else if (PENDING.compareAndSet(this, IDLE, QUEUED)) {
                loop.enqueueFromOtherThread(this);
                return;
            }
        }
    }

    /**
     * Starts a run of a source taken from a post queue. A dirty source becomes queued again
     * by a store and a full fence, which pair with the poster's fence and load in
     * {@link #post()} (store, fence, load on both sides): either the poster finds the source
     * queued and marks it dirty again, or the handler that follows sees what the poster
     * wrote. A CAS would not do instead of the fence: on aarch64 it lets a later load move
     * above its store. The store cannot hide a poster's mark: posters only mark a queued
     * source, and this stores over a dirty one. Loop thread only.
     */
    final void beginRun() {
        postedByOwner = false;
        if ((int) PENDING.getOpaque(this) == DIRTY) {
            PENDING.setOpaque(this, QUEUED);
            VarHandle.fullFence();
        }
    }

    /**
     * Ends a run: returns whether the source must run again (posted during the run, by the
     * loop's thread or another); else it is idle again. Loop thread only.
     */
    final boolean endRun() {
        if (detached) {
            return false;
        }
        return postedByOwner || !PENDING.compareAndSet(this, QUEUED, IDLE);
    }
}
