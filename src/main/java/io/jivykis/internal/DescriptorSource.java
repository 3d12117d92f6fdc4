package io.jivykis.internal;

/**
 * The registration of an object that owns one {@link EventDescriptor} ({@code EventRaw}, and
 * {@code SignalHandler} through a subclass). Its handler runs after in-process posts (the
 * loop's post path) and after foreign ones: when another process, a signal handler or native
 * code writes the descriptor, the loop drains it, then runs the handler. Detaching removes
 * the descriptor from epoll, then closes it.
 */
public class DescriptorSource extends WatchedSource {
    /** The descriptor this registration owns. */
    protected final EventDescriptor descriptor;

    /** Creates a source owning {@code descriptor}; {@link #open()} registers it. */
    protected DescriptorSource(Loop loop, EventDescriptor descriptor, Runnable handler) {
        super(loop, handler);
        this.descriptor = descriptor;
    }

    /**
     * Registers {@code handler} with a new descriptor of the configured backend. Loop thread only.
     *
     * @throws java.io.UncheckedIOException if the kernel refuses; nothing is left registered or open
     */
    public static DescriptorSource open(Loop loop, Runnable handler) {
        DescriptorSource source = new DescriptorSource(loop, EventDescriptor.open(), handler);
        source.open();
        return source;
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

    @Override
    protected final void ready(int epollFlags) {
        // Drain first, then run: a write that lands while the handler runs leaves the
        // descriptor readable, so the handler is called again after it returns. A readiness
        // report with nothing to read runs nothing: only a write makes the handler run.
        if (descriptor.drain()) {
            loop.countForeignDrain(deliversSignals());
            handler.run();
        }
    }

    /** Whether the writes this source drains come from a signal handler (for the loop's metrics). */
    protected boolean deliversSignals() {
        return false;
    }

    @Override
    protected final void posted() {
        handler.run();
    }

    @Override
    protected final void unwatched() {
        descriptor.close();
    }
}
