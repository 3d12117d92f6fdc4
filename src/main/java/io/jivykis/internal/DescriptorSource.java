package io.jivykis.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The registration of an object that owns one {@link EventDescriptor} ({@code EventRaw}, and
 * {@code SignalHandler} through a subclass). Its handler runs after in-process posts (the
 * loop's post path) and after foreign ones: when another process, a signal handler or native
 * code writes the descriptor, the loop drains it, then runs the handler. Detaching removes
 * the descriptor from epoll, then closes it.
 *
 * <p>Other processes never get this descriptor: each holder gets a pipe of its own
 * ({@link #newHolder()}, {@link HolderPipe}), revoked when this registration ends.
 */
public class DescriptorSource extends WatchedSource {
    /** The descriptor this registration owns. */
    protected final EventDescriptor descriptor;
    /**
     * The pipes of this registration's holders (children it was passed to, offer peers):
     * each revoked when the registration ends; made at the first holder, so that the many
     * registrations that never have one cost no set. Loop thread only.
     */
    private Set<HolderPipe> holders;

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

    /**
     * A new holder of this registration: a pipe of its own (see {@link HolderPipe}), revoked
     * when this registration ends. Loop thread only.
     *
     * @throws java.io.UncheckedIOException if the kernel refuses; nothing is left open
     */
    public final HolderPipe newHolder() {
        loop.checkOwner("handing out a posting descriptor");
        if (!isAttached()) {
            throw new IllegalStateException("the event is no longer registered: nothing to hand out");
        }
        HolderPipe pipe = HolderPipe.open(this);
        if (holders == null) {
            holders = new LinkedHashSet<>();
        }
        holders.add(pipe);
        return pipe;
    }

    /**
     * A write from outside this JVM's Java posts was just drained, from this registration's
     * own descriptor or from one of its holders' pipes: counts it, then runs the handler, in
     * the ready step (so it is dispatched before the posted objects of the same iteration).
     */
    final void foreignPostDrained() {
        loop.countForeignDrain(deliversSignals());
        handler.run();
    }

    /** Called by a holder's pipe as it detaches. */
    final void forgetHolder(HolderPipe pipe) {
        if (holders != null) {
            holders.remove(pipe);
        }
    }

    @Override
    protected final void ready(int epollFlags) {
        // Drain first, then run: a write that lands while the handler runs leaves the
        // descriptor readable, so the handler is called again after it returns. A readiness
        // report with nothing to read runs nothing: only a write makes the handler run.
        if (descriptor.drain()) {
            foreignPostDrained();
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
        try {
            // Every holder of this registration becomes powerless with it (their writes: EPIPE).
            // Only when there are some: the first use of HolderPipe loads its class, which
            // at the descriptor limit (an unregister after EMFILE) could not open the jar.
            if (holders != null && !holders.isEmpty()) {
                for (HolderPipe pipe : holders.toArray(new HolderPipe[0])) {
                    pipe.revoke();
                }
            }
        } finally {
            descriptor.close();
        }
    }
}
