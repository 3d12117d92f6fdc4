package io.jivykis.internal;

import io.jivykis.Backend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How other threads wake a loop that sleeps in epoll: the loop's wake-up descriptor, the
 * "sleeping" flag that makes a poster write it only when needed, and the {@link WriterGate}
 * that keeps those writes off the descriptor once the loop closes it.
 *
 * <p>The protocol is a Dekker pair. The loop stores 1 in "sleeping" ({@link #aboutToSleep()})
 * and then reads the remote post stack; a poster pushes onto that stack and then reads
 * "sleeping" ({@link #wakeUp()}); both are sequentially consistent accesses, so at least one
 * side sees the other and no post is left behind a sleeping loop. Of the posters that see
 * 1, only the one whose CAS turns it to 0 writes, so a burst of posts costs one write.
 *
 * <p>With eventfd the descriptor is edge-triggered and never read (the counter cannot
 * saturate in practice: one write per sleep), so the woken loop makes no system call for it;
 * a pipe is level-triggered and drained when reported.
 */
final class WakeUp extends WakeUpTrailingPad {
    private final EventDescriptor descriptor;
    private final WriterGate gate = new WriterGate();

    private WakeUp(EventDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** Opens the wake-up descriptor of a new loop. */
    static WakeUp open() {
        return new WakeUp(EventDescriptor.open());
    }

    /** The descriptor the loop watches. */
    int readFd() {
        return descriptor.readFd();
    }

    /** The epoll events to watch it with: edge-triggered for eventfd, which is never read. */
    int epollEvents() {
        return Linux.EPOLLIN | (descriptor.backend() == Backend.EVENTFD ? Linux.EPOLLET : 0);
    }

    /** The loop is about to block: posters that come now must write. Loop thread. */
    void aboutToSleep() {
        SLEEPING.setVolatile(this, 1);
    }

    /**
     * The loop is awake again (or decided not to block). Opaque is enough: a poster that
     * still sees 1 makes one needless write, which is harmless.
     */
    void awake() {
        SLEEPING.setOpaque(this, 0);
    }

    /**
     * Wakes the loop if it is blocked or about to block. Any thread; after the loop has
     * closed, does nothing.
     *
     * @throws java.io.UncheckedIOException if the wake-up write fails: the loop would then
     *     sleep on with the post queued, so the poster must learn of it
     */
    void wakeUp() {
        if ((int) SLEEPING.getVolatile(this) == 0 || !SLEEPING.compareAndSet(this, 1, 0)) {
            return;
        }
        if (!gate.enter()) {
            return;
        }
        int rc;
        try {
            rc = descriptor.signal();
        } finally {
            gate.exit();
        }
        if (rc >= 0) {
            countWrite();
        }
        if (rc < 0) {
            throw Errors.failure("write(wake-up " + descriptor.backend().name().toLowerCase(java.util.Locale.ROOT)
                    + " fd " + descriptor.writeFd() + ")", -rc);
        }
    }

    /** How many wake-up writes posters have made. Any thread; exact (see {@link WakeUpSleeping#writes}). */
    long writes() {
        return (long) WRITES.getOpaque(this);
    }

    /** The loop saw its wake-up descriptor readable: a pipe must be emptied, an eventfd not. */
    void consume() {
        if (descriptor.backend() == Backend.PIPE) {
            descriptor.drain();
        }
    }

    /** Waits until no poster is writing, then closes the descriptor. Idempotent. */
    void close() {
        if (gate.close()) {
            descriptor.close();
        }
    }
}

/** Padding before the posters' field (see {@link PostQueue} for why it is laid out this way). */
@SuppressWarnings("unused")
abstract class WakeUpLeadingPad {
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The field posters read and CAS: whether the loop sleeps. */
abstract class WakeUpSleeping extends WakeUpLeadingPad {
    static final VarHandle SLEEPING;
    static final VarHandle WRITES;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(WakeUpSleeping.class, "sleeping", int.class);
            WRITES = MethodHandles.lookup().findVarHandle(WakeUpSleeping.class, "writes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 1 while the loop is about to block or blocked in epoll_wait. */
    @SuppressWarnings("unused") // accessed through SLEEPING
    private volatile int sleeping;

    /**
     * Wake-up writes made, for the loop's metrics. Counted by the poster that made the write,
     * on the one path that already pays a CAS and a system call, so no other post costs
     * anything for it. Two such posters can overlap (one still writing for a sleep the loop
     * has already left, the next for the following sleep), so the count is an atomic add; it
     * sits next to {@code sleeping}, whose line that poster's CAS has just taken, so the add
     * finds its line at hand. Readers load it opaquely: a monotonic count, nothing inferred.
     */
    @SuppressWarnings("unused") // accessed through WRITES
    private volatile long writes;

    /** One more wake-up write. Poster thread, after its write. */
    final void countWrite() {
        WRITES.getAndAdd(this, 1L);
    }
}

/** Padding after it, so the final fields of {@link WakeUp} live on another line. */
@SuppressWarnings("unused")
abstract class WakeUpTrailingPad extends WakeUpSleeping {
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}
