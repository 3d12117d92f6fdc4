package io.jivykis.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one gate between threads that write a descriptor and the thread that closes it: a
 * closer waits until no writer is between {@link #enter()} and {@link #exit()}, and no
 * writer enters once closing has begun, so no write can reach a descriptor number the kernel
 * may already have given to another file.
 *
 * <p>The state is one int: the number of writers inside, plus {@link #CLOSED_BIT} once
 * {@link #close()} has begun. Entering is one atomic add; a writer that finds the bit set
 * backs out. Closing sets the bit, then spins until the count is zero: a writer stays
 * inside for one non-blocking write(2), so the wait is that long at most.
 *
 * <p>All accesses are volatile read-modify-writes: a writer's entry and the closer's
 * setting of the bit are totally ordered, so either the writer sees the bit and does not
 * write, or the closer sees the writer and waits for its exit, whose add releases the write.
 */
public final class WriterGate {
    /** The sign bit: set once closing begins, so any state with a closer is negative. */
    private static final int CLOSED_BIT = Integer.MIN_VALUE;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WriterGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /**
     * Enters as a writer. Any thread.
     *
     * @return true if the descriptor may be written now (then call {@link #exit()} after the
     *     write), false once closing has begun (then do not write and do not exit)
     */
    public boolean enter() {
        if ((int) STATE.getAndAdd(this, 1) < 0) {
            STATE.getAndAdd(this, -1);
            return false;
        }
        return true;
    }

    /** Leaves after a write that {@link #enter()} allowed. */
    public void exit() {
        STATE.getAndAdd(this, -1);
    }

    /**
     * Shuts the gate and waits until no writer is inside; afterwards the descriptor may be
     * closed. Idempotent: only the first call returns true (the caller that must close).
     */
    public boolean close() {
        int seen;
        do {
            seen = (int) STATE.getVolatile(this);
            if (seen < 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, seen, seen | CLOSED_BIT));
        while ((int) STATE.getVolatile(this) != CLOSED_BIT) {
            Thread.onSpinWait();
        }
        return true;
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return (int) STATE.getVolatile(this) < 0;
    }
}
