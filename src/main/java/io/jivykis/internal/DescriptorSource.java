package io.jivykis.internal;

/**
 * A {@link WatchedSource} that owns one {@link EventDescriptor}: when a post from outside
 * the JVM's Java code (another process, a signal handler, native code) makes the descriptor
 * readable, the loop drains it and calls {@link #fire()}. Detaching removes the descriptor
 * from epoll, then closes it.
 */
public abstract class DescriptorSource extends WatchedSource {
    /** The descriptor this registration owns. */
    protected final EventDescriptor descriptor;

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
        int fd = descriptor.readFd();
        int rc = watch(fd, Linux.EPOLLIN);
        if (rc != 0) {
            throw Errors.failure("epoll_ctl(ADD, fd " + fd + ")", -rc);
        }
    }

    /** The descriptor this registration owns. */
    public final EventDescriptor descriptor() {
        return descriptor;
    }

    /** What to run when the descriptor was written; on the loop thread. */
    protected abstract void fire();

    @Override
    protected final void ready(int epollFlags) {
        // Drain first, then run: a write that lands while the handler runs leaves the
        // descriptor readable, so the handler is called again after it returns. A readiness
        // report with nothing to read runs nothing: only a write makes the handler run.
        if (descriptor.drain()) {
            loop.countForeignDrain(deliversSignals());
            fire();
        }
    }

    /** Whether the writes this source drains come from a signal handler (for the loop's metrics). */
    protected boolean deliversSignals() {
        return false;
    }

    @Override
    protected final void unwatched() {
        descriptor.close();
    }
}
