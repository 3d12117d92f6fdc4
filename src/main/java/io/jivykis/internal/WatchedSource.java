package io.jivykis.internal;

/**
 * A {@link Source} that watches one descriptor in its loop's epoll set: the one path by
 * which every descriptor-watching object (EventRaw, SignalHandler, FdWatch, EventOffer)
 * enters the set, and leaves it before its descriptor is closed.
 *
 * <p>{@link #watch(int, int)} attaches and adds the descriptor; when the kernel refuses, the
 * source is detached again (its {@link #unwatched()} releases what it holds) and the errno
 * is returned for the caller to explain. Detaching removes the entry first (only if it is
 * still this source's: see {@link Watches}), then calls {@link #unwatched()}, where a
 * subclass closes what it owns.
 */
public abstract class WatchedSource extends Source {
    private int fd = -1;
    private boolean watching;

    /** Creates a source for {@code loop}; {@link #watch(int, int)} registers it. */
    protected WatchedSource(Loop loop) {
        super(loop);
    }

    /** Creates a source for {@code loop} whose dispatch runs {@code handler}. */
    WatchedSource(Loop loop, Runnable handler) {
        super(loop, handler);
    }

    /**
     * Attaches to the loop and adds {@code fd} with {@code events}. On a refusal nothing is
     * left attached and {@link #unwatched()} has run. Loop thread only.
     *
     * @return 0, or the negative errno of the kernel's refusal
     * @throws IllegalStateException if the loop is closed ({@link #unwatched()} has run)
     */
    protected final int watch(int fd, int events) {
        this.fd = fd;
        try {
            attach();
        } catch (RuntimeException e) {
            unwatched();
            throw e;
        }
        int rc = loop.watch(fd, events, this);
        if (rc == 0) {
            watching = true;
        } else {
            detach();
        }
        return rc;
    }

    /**
     * Changes the events watched. Loop thread only.
     *
     * @return 0; -ENOENT when the descriptor left the set (closed while watched); or the
     *     negative errno of the kernel's refusal
     */
    protected final int changeEvents(int events) {
        return watching ? loop.rewatch(fd, events, this) : -Linux.ENOENT;
    }

    /**
     * Called on the loop thread as the source detaches, before its descriptor leaves the
     * set: stop every writer that could still write it. Nothing by default.
     */
    protected void beforeUnwatch() {}

    /** Called on the loop thread once the descriptor has left the set: release what is owned. */
    protected abstract void unwatched();

    @Override
    protected final void released() {
        try {
            beforeUnwatch();
        } finally {
            try {
                if (watching) {
                    watching = false;
                    loop.unwatch(fd, this);
                }
            } finally {
                unwatched();
            }
        }
    }
}
