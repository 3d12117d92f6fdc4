package io.jivykis;

import io.jivykis.internal.DescriptorWatch;
import io.jivykis.internal.Linux;
import io.jivykis.internal.Loop;
import io.jivykis.internal.Native;
import io.jivykis.internal.Registrar;
import io.jivykis.internal.WatchedSource;
import java.lang.invoke.MethodHandles;

/**
 * Readiness of a descriptor the caller owns, delivered on the registering thread's loop
 * (ivykis's iv_fd): a socket, a pipe, a terminal, an eventfd, a timerfd, a signalfd...
 *
 * <p>Readiness is level-triggered, as in ivykis: while the descriptor stays readable (or
 * writable), {@link #onReadable(Runnable) onReadable} (or {@link #onWritable(Runnable)
 * onWritable}) runs on every iteration, so a handler reads or writes what it can, or clears
 * itself. When epoll reports an error or a hang-up, the readable and writable handlers run
 * too (their read or write then sees the end of file or the error, as in ivykis), followed by
 * {@link #onError(Runnable) onError}. Handlers may be set, changed or cleared (null) at any
 * time, also while registered (then on the registering thread only), which takes effect at
 * once. A watch with no handler at all stays registered but is not woken.
 *
 * <p>The watch never reads, writes or closes the descriptor: the caller does, and keeps it
 * open while the watch is registered (unregister, then close). Registering a descriptor
 * that is closed, that epoll cannot poll (a regular file, a directory), or that this loop
 * already watches (another FdWatch, an {@link EventRaw}) throws an exception that says which.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread; it may
 * unregister the watch from any handler of its loop, including the watch's own, after
 * which none of its handlers runs again, and the watch can be dropped there and
 * garbage-collected. A registered watch keeps {@link EventLoop#run()} going.
 */
public final class FdWatch {
    private static final Registrar<FdWatch, Registration> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            FdWatch.class, Registration.class, Registration::open, watch -> "a watch of fd " + watch.fd);

    private final int fd;
    // Handlers: set by the registering thread while registered (else by whoever configures
    // the watch before handing it over); read by the loop thread.
    private Runnable onReadable;
    private Runnable onWritable;
    private Runnable onError;

    /** The current registration, or null; owned by {@link #REGISTRAR} (volatile for {@link #isRegistered()}). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile Registration registration;

    /**
     * Creates an unregistered watch of {@code fd}, with no handlers.
     *
     * @param fd the descriptor to watch, owned and kept open by the caller; not negative
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public FdWatch(int fd) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        if (fd < 0) {
            throw new IllegalArgumentException("FdWatch: fd " + fd + " is not a descriptor number");
        }
        this.fd = fd;
    }

    /**
     * The watched descriptor.
     *
     * @return the descriptor number given to the constructor
     */
    public int fd() {
        return fd;
    }

    /**
     * Sets what runs while the descriptor is readable (or reports an error or hang-up); null
     * stops watching readability.
     *
     * @param handler runs on the loop's thread each iteration the descriptor is readable, or
     *     null
     * @return this watch
     * @throws IllegalStateException while registered, on another thread than the registering one
     */
    public FdWatch onReadable(Runnable handler) {
        Registration current = changing("onReadable");
        onReadable = handler;
        update(current);
        return this;
    }

    /**
     * Sets what runs while the descriptor is writable (or reports an error or hang-up); null
     * stops watching writability.
     *
     * @param handler runs on the loop's thread each iteration the descriptor is writable, or
     *     null
     * @return this watch
     * @throws IllegalStateException while registered, on another thread than the registering one
     */
    public FdWatch onWritable(Runnable handler) {
        Registration current = changing("onWritable");
        onWritable = handler;
        update(current);
        return this;
    }

    /**
     * Sets what runs while the descriptor reports an error or a hang-up (EPOLLERR,
     * EPOLLHUP); null clears it.
     *
     * @param handler runs on the loop's thread, after the readable and writable handlers,
     *     each iteration the descriptor reports an error or a hang-up; or null
     * @return this watch
     * @throws IllegalStateException while registered, on another thread than the registering one
     */
    public FdWatch onError(Runnable handler) {
        Registration current = changing("onError");
        onError = handler;
        update(current);
        return this;
    }

    /**
     * Adds the descriptor to the calling thread's loop (iv_fd_register).
     *
     * @throws IllegalStateException if already registered, if this loop already watches the
     *     descriptor, or if this thread has no open loop
     * @throws IllegalArgumentException if the descriptor is closed or cannot be polled
     * @throws java.io.UncheckedIOException if the kernel refuses for another reason
     */
    public void register() {
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Removes the descriptor from the loop (iv_fd_unregister); no handler of this watch runs
     * afterwards. The descriptor stays open.
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, "");
    }

    /**
     * Whether the watch is registered. Any thread.
     *
     * @return true between {@link #register()} and {@link #unregister()} (or the loop's close)
     */
    public boolean isRegistered() {
        return registration != null;
    }

    private Registration changing(String method) {
        return registration == null ? null : REGISTRAR.owned(this, method, "");
    }

    private int events() {
        return DescriptorWatch.events(onReadable != null, onWritable != null, onError != null);
    }

    private void update(Registration current) {
        if (current != null && current.isAttached()) {
            current.modify(events());
        }
    }

    /** One registration: the caller's descriptor in the loop's epoll set. */
    private static final class Registration extends WatchedSource {
        private final FdWatch owner;
        /** The events last given to epoll, so an unchanged set makes no system call. */
        private int events;

        private Registration(FdWatch owner, Loop loop) {
            super(loop);
            this.owner = owner;
        }

        static Registration open(FdWatch owner, Loop loop) {
            Registration registration = new Registration(owner, loop);
            registration.events = owner.events();
            DescriptorWatch.checkAdded(owner.fd, registration.watch(owner.fd, registration.events));
            return registration;
        }

        void modify(int newEvents) {
            if (newEvents != events) {
                DescriptorWatch.checkModified(owner.fd, changeEvents(newEvents));
                events = newEvents;
            }
        }

        /**
         * Calls the handlers the flags ask for, in the order readable, writable, error. Each
         * handler is read afresh and the registration checked again before each call: an
         * earlier handler may have cleared, replaced or unregistered what follows.
         */
        @Override
        protected void ready(int epollFlags) {
            boolean failed = (epollFlags & (Linux.EPOLLERR | Linux.EPOLLHUP)) != 0;
            if ((epollFlags & Linux.EPOLLIN) != 0 || failed) {
                Runnable handler = owner.onReadable;
                if (handler != null) {
                    handler.run();
                }
            }
            if ((epollFlags & Linux.EPOLLOUT) != 0 || failed) {
                Runnable handler = owner.onWritable;
                if (handler != null && isAttached()) {
                    handler.run();
                }
            }
            if (failed) {
                Runnable handler = owner.onError;
                if (handler != null && isAttached()) {
                    handler.run();
                }
            }
        }

        /** The descriptor is the caller's: the watch never closes it. */
        @Override
        protected void unwatched() {}
    }
}
