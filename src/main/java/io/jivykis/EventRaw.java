package io.jivykis;

import io.jivykis.internal.DescriptorSource;
import io.jivykis.internal.HolderPipe;
import io.jivykis.internal.Loop;
import io.jivykis.internal.Native;
import io.jivykis.internal.Registrar;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * An event that anyone can post, whose handler runs on the thread that registered it
 * (ivykis's iv_event_raw).
 *
 * <p>Registering creates a descriptor (an eventfd(2), or a pipe(2); see {@link Backend})
 * and adds it to the registering thread's {@link EventLoop}. {@link #post()} then makes the
 * handler run on that thread, inside {@link EventLoop#run()}. Native code of this process,
 * in a signal handler for instance, posts by writing the descriptor ({@link #fd()}): eight
 * bytes holding 1 for an eventfd, one byte for a pipe. Another process posts through a
 * descriptor of its own that it was given ({@link ChildProcessBuilder#pass(EventRaw, String)},
 * {@link EventOffer}); unregistering makes every such holder powerless.
 *
 * <p><b>Guarantees.</b> {@code post()} may be called from any thread at any time; it never
 * blocks, takes no lock and allocates nothing. Several posts made before the handler starts
 * may be coalesced into one call, but a post is never lost: after every post the handler
 * starts at least once more, and that call sees everything the posting thread did before
 * posting. The handler is never called more often than the object was posted. A post from
 * the registering thread makes no system call; one from another thread of this process
 * makes at most one (to wake the loop), and none when the object is already pending.
 * A post to an object that is not registered does nothing, even while another thread is
 * unregistering it: it never writes to a closed descriptor.
 *
 * <p>{@link #register()} and {@link #unregister()} belong to the registering thread; it may
 * unregister from any handler of its loop, including this object's own, and an object
 * unregistered in its own handler can be dropped there and garbage-collected.
 *
 * <p>In-process posts ({@link #post()}) go through the loop's queues and do not touch the
 * descriptor; only foreign posters write it. When every poster is a thread of this process,
 * {@link Event} is the lighter choice: it has no descriptor of its own.
 */
public final class EventRaw {
    private static final Registrar<EventRaw, DescriptorSource> REGISTRAR = new Registrar<>(MethodHandles.lookup(),
            EventRaw.class, DescriptorSource.class, (event, loop) -> DescriptorSource.open(loop, event.handler),
            event -> "an EventRaw");

    private final Runnable handler;

    /** The current registration, or null; owned by {@link #REGISTRAR}, read by posters (volatile). */
    @SuppressWarnings("unused") // written through REGISTRAR
    private volatile DescriptorSource registration;

    /**
     * Creates an unregistered event.
     *
     * @param handler what to run on the registering thread after posts
     */
    public EventRaw(Runnable handler) {
        Native.ensureLoaded(); // first: the same clear error on every use where it cannot load
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Registers in the calling thread's loop (iv_event_raw_register), with a new descriptor
     * of the backend chosen by {@code jivykis.backend}.
     *
     * @throws IllegalStateException if already registered, or this thread has no loop
     * @throws java.io.UncheckedIOException if the kernel refuses a descriptor (EMFILE,
     *     ENFILE...); nothing is then registered and nothing is left open
     */
    public void register() {
        REGISTRAR.register(this, EventLoop::coreForRegister);
    }

    /**
     * Unregisters and closes the descriptor (iv_event_raw_unregister). Posts made afterwards
     * do nothing; posts not yet dispatched are dropped. Every process this registration was
     * handed to (children, offer peers) loses its power to post: its writes fail with EPIPE,
     * which {@link Poster}, {@code jivykis_post} and {@code jivykis-post} report as "no effect".
     *
     * @throws IllegalStateException if not registered, or called on another thread than the registering one
     */
    public void unregister() {
        REGISTRAR.unregister(this, " (never registered, already unregistered, or its loop was closed): there is"
                + " nothing to undo; check isRegistered() first if unsure");
    }

    /**
     * Makes the handler run on the registering thread (iv_event_raw_post). Any thread, any
     * time; see the class description for what is guaranteed. Does nothing when the object
     * is not registered.
     */
    public void post() {
        DescriptorSource current = registration;
        if (current != null) {
            current.post();
        }
    }

    /**
     * Whether the object is registered.
     *
     * @return true between {@link #register()} and {@link #unregister()} (or the loop's close)
     */
    public boolean isRegistered() {
        return registration != null;
    }

    /**
     * The event's own descriptor, for native code of this process (a signal handler calling
     * {@code jivykis_post}), or -1 when not registered. For a pipe this is the write end. It
     * is closed by {@link #unregister()}; do not close it yourself.
     *
     * <p>Do not hand it to another process: whoever shares it could read it (swallowing
     * every post) or clear its O_NONBLOCK flag (blocking this loop's thread in its drain).
     * To let another process post, use {@link ChildProcessBuilder#pass(EventRaw, String)} or
     * {@link EventOffer}: each holder then gets a descriptor of its own, which can post and
     * nothing else.
     *
     * @return the descriptor to write to, or -1 when not registered
     */
    public int fd() {
        DescriptorSource current = registration;
        return current == null ? -1 : current.descriptor().writeFd();
    }

    /**
     * The backend of the current registration.
     *
     * @return the descriptor kind of this registration, or null when not registered
     */
    public Backend backend() {
        DescriptorSource current = registration;
        return current == null ? null : current.descriptor().backend();
    }

    /**
     * A new holder's own descriptor (a pipe whose read end this loop watches), for
     * {@link ChildProcessBuilder} and {@link EventOffer}. Loop thread only.
     *
     * @throws IllegalStateException if not registered, or on another thread than the loop's
     */
    HolderPipe newHolder() {
        DescriptorSource current = registration;
        if (current == null) {
            throw new IllegalStateException("the event is not registered: register it before handing it out");
        }
        return current.newHolder();
    }

    /** The loop of the current registration, or null (for the cross-process classes of this package). */
    Loop registeredLoop() {
        DescriptorSource current = registration;
        return current == null ? null : current.loop();
    }
}
