package io.jivykis.internal;

/**
 * A {@link Source} that owns one {@link EventDescriptor} watched by its loop: when a post
 * from outside the JVM's Java code (another process, a signal handler, native code) makes
 * the descriptor readable, the loop drains it and calls {@link #fire()}.
 *
 * <p>Releasing removes the descriptor from epoll and closes it, after
 * {@link #beforeClose()} has withdrawn it from whoever else writes it.
 */
public abstract class DescriptorSource extends Source {
    /** The descriptor this registration owns. */
    protected final EventDescriptor descriptor;
    /** Whether the descriptor is in the loop's epoll set (false only while {@link #open()} fails). */
    private boolean watched;

    /** Creates a source owning {@code descriptor}; {@link #open()} registers it. */
    protected DescriptorSource(Loop loop, EventDescriptor descriptor) {
        super(loop);
        this.descriptor = descriptor;
    }

    /**
     * Attaches to the loop and adds the descriptor to its epoll set. On failure nothing is
     * left registered or open (the descriptor is closed) and the exception propagates.
     */
    protected final void open() {
        try {
            attach();
        } catch (RuntimeException e) {
            descriptor.close();
            throw e;
        }
        try {
            loop.epoll().add(descriptor.readFd(), Linux.EPOLLIN, token());
            watched = true;
        } catch (RuntimeException e) {
            detach();
            throw e;
        }
    }

    /** The loop this source is registered with. */
    public final Loop loop() {
        return loop;
    }

    /** What to run when the descriptor was written; on the loop thread. */
    protected abstract void fire();

    /**
     * Called on the loop thread before the descriptor is closed: stop every writer that
     * could still write it. Nothing by default.
     */
    protected void beforeClose() {}

    @Override
    protected final void ready(int epollFlags) {
        // Drain first, then run: a write that lands while the handler runs leaves the
        // descriptor readable, so the handler is called again after it returns. A readiness
        // report with nothing to read runs nothing: only a write makes the handler run.
        if (descriptor.drain()) {
            fire();
        }
    }

    @Override
    protected final void released() {
        try {
            beforeClose();
        } finally {
            try {
                if (watched) {
                    // DEL before close: a child holding a copy of the descriptor would keep
                    // the epoll entry alive after our close.
                    loop.epoll().delete(descriptor.readFd());
                }
            } finally {
                descriptor.close();
            }
        }
    }
}
